import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy as CustomStrategy } from 'passport-custom';
import type { Request } from 'express';
import { requestIdOf, type RequestContext } from '@hips/common';
import { AuthService } from './auth.service';

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
