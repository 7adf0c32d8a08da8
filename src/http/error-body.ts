export interface FieldError {
  field: string;
  message: string;
}

/** The one JSON shape of every error this API answers. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: FieldError[];
}
