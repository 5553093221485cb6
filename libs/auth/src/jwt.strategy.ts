import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy as JwtStrategyBase } from 'passport-jwt';
import type { Request } from 'express';
import { APP_CONFIG, AppConfig } from '@hips/config';
import { AuthService, TokenPayload } from './auth.service';
import { requestIdOf, type RequestContext } from '@hips/common';

/** People: `Authorization: Bearer <accessToken>`; HS256 only, so `alg: none` and forged algorithms fail. */
@Injectable()
export class JwtStrategy extends PassportStrategy(JwtStrategyBase, 'jwt') {
  constructor(
    private readonly auth: AuthService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: config.jwtSecret,
      algorithms: ['HS256'],
      ignoreExpiration: false,
      passReqToCallback: true,
    });
  }

  async validate(req: Request, payload: TokenPayload): Promise<RequestContext | false> {
    if (payload.typ !== 'access') return false;
    return (await this.auth.contextForPerson(payload.sub, payload.pid, requestIdOf(req))) ?? false;
  }
}
