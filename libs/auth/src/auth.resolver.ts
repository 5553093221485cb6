import { Args, ID, Info, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { Request } from 'express';
import type { GraphQLResolveInfo } from 'graphql';
import {
  authenticateAnswer,
  Ctx,
  Public,
  Req,
  RequestContext,
  requestIdOf,
  Roles,
  withUserErrors,
} from '@hips/common';
import {
  ApiKeyPayload,
  CreateApiKeyInput,
  DirectoryService,
  LoginInput,
  LoginPayload,
  RefreshTokenInput,
} from '@hips/directory';
import { ApiKey } from './dto/api-key.model';
import { ApiKeysService } from './api-keys.service';
import { AuthService, IssuedTokens } from './auth.service';

@Resolver()
export class AuthResolver {
  constructor(
    private readonly auth: AuthService,
    private readonly keys: ApiKeysService,
    private readonly directory: DirectoryService,
  ) {}

  @Public()
  @Mutation(() => LoginPayload)
  login(@Req() req: Request, @Info() info: GraphQLResolveInfo, @Args('input') input: LoginInput) {
    return withUserErrors(async () =>
      this.payload(req, info, await this.auth.login(input, req.ip ?? 'unknown', requestIdOf(req))),
    );
  }

  @Public()
  @Mutation(() => LoginPayload, { description: 'Exchanges a refresh token (single use) for new tokens.' })
  refreshToken(
    @Req() req: Request,
    @Info() info: GraphQLResolveInfo,
    @Args('input') input: RefreshTokenInput,
  ) {
    return withUserErrors(async () =>
      this.payload(req, info, await this.auth.refresh(input.refreshToken, requestIdOf(req))),
    );
  }

  @Roles('PARTNERSHIP_ADMIN', 'AGENCY_ADMIN')
  @Query(() => [ApiKey], {
    description: 'API keys of the partnership, or of the caller’s agency for an AGENCY_ADMIN.',
  })
  apiKeys(@Ctx() ctx: RequestContext): Promise<ApiKey[]> {
    return this.keys.list(ctx);
  }

  @Mutation(() => ApiKeyPayload)
  createApiKey(@Ctx() ctx: RequestContext, @Args('input') input: CreateApiKeyInput) {
    return withUserErrors(() => this.keys.create(ctx, input));
  }

  @Mutation(() => ApiKeyPayload)
  revokeApiKey(@Ctx() ctx: RequestContext, @Args('keyId', { type: () => ID }) keyId: string) {
    return withUserErrors(() => this.keys.revoke(ctx, keyId));
  }

  /** The new tokens, and the viewer they stand for: fields under it resolve as that person. */
  private async payload(req: Request, info: GraphQLResolveInfo, tokens: IssuedTokens) {
    authenticateAnswer(req, info, tokens.context);
    return {
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      expiresAt: tokens.expiresAt,
      viewer: await this.directory.viewer(tokens.context),
    };
  }
}
