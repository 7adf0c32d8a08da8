import { Body, Controller, Get, HttpCode, Patch, Post, UseGuards } from '@nestjs/common';
import { Ctx } from '../context/ctx.decorator';
import { RequestContext } from '../context/request-context';
import { ChangePasswordDto, LoginDto, RefreshTokenDto, RegisterDto, UpdateMeDto } from './auth.dto';
import { AuthService } from './auth.service';
import { Public } from './public.decorator';
import { AuthRateLimitGuard } from './rate-limit';
import { TokenPair } from './token.service';
import { UserView } from './user.view';

@Controller('api/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @UseGuards(AuthRateLimitGuard)
  @Post('register')
  @HttpCode(201)
  register(@Ctx() ctx: RequestContext, @Body() dto: RegisterDto): Promise<UserView> {
    return this.auth.register(ctx, dto);
  }

  @Public()
  @UseGuards(AuthRateLimitGuard)
  @Post('login')
  @HttpCode(200)
  login(@Ctx() ctx: RequestContext, @Body() dto: LoginDto): Promise<TokenPair> {
    return this.auth.login(ctx, dto);
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  refresh(@Ctx() ctx: RequestContext, @Body() dto: RefreshTokenDto): Promise<TokenPair> {
    return this.auth.refresh(ctx, dto.refreshToken);
  }

  /** Public: holding the refresh token is the proof, and a client whose access token expired can still log out. */
  @Public()
  @Post('logout')
  @HttpCode(204)
  logout(@Ctx() ctx: RequestContext, @Body() dto: RefreshTokenDto): Promise<void> {
    return this.auth.logout(ctx, dto.refreshToken);
  }

  /** Rate-limited like login, per IP and per account: it checks a password. */
  @UseGuards(AuthRateLimitGuard)
  @Post('password')
  @HttpCode(200)
  changePassword(@Ctx() ctx: RequestContext, @Body() dto: ChangePasswordDto): Promise<TokenPair> {
    return this.auth.changePassword(ctx, dto);
  }

  /** Ends every login of the account, on every device: refresh tokens and access tokens alike. */
  @Post('logout-all')
  @HttpCode(204)
  logoutEverywhere(@Ctx() ctx: RequestContext): Promise<void> {
    return this.auth.logoutEverywhere(ctx);
  }

  @Get('me')
  me(@Ctx() ctx: RequestContext): Promise<UserView> {
    return this.auth.me(ctx);
  }

  @Patch('me')
  updateMe(@Ctx() ctx: RequestContext, @Body() dto: UpdateMeDto): Promise<UserView> {
    return this.auth.updateMe(ctx, dto);
  }
}
