export const INVALID_CREDENTIALS = 'Invalid email or password.';
export const INVALID_REFRESH = 'Invalid or expired refresh token.';
