import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy as CustomStrategy } from 'passport-custom';
import { ExtractJwt, Strategy as JwtStrategyBase } from 'passport-jwt';
import type { Request } from 'express';
import { Inject } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@hips/config';
import type { RequestContext } from '@hips/common';
import { AuthService, TokenPayload } from './auth.service';
import { requestIdOf } from '@hips/common';

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

/** Agency systems: `X-API-Key: <key>`. */
@Injectable()
export class ApiKeyStrategy extends PassportStrategy(CustomStrategy, 'api-key') {
  constructor(private readonly auth: AuthService) {
    super();
  }

  async validate(req: Request): Promise<RequestContext | false> {
    const header = req.headers['x-api-key'];
    const secret = Array.isArray(header) ? header[0] : header;
    if (!secret || secret.length > 200) return false;
    return (await this.auth.contextForApiKey(secret, requestIdOf(req))) ?? false;
  }
}
