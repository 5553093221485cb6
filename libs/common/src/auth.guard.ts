import { CanActivate, ExecutionContext, Injectable, SetMetadata, createParamDecorator } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { AuthGuard } from '@nestjs/passport';
import type { GraphQLResolveInfo } from 'graphql';
import type { Request } from 'express';
import type { RequestContext } from './request-context';
import type { RoleType } from '@hips/core';
import { ApiError } from './api-error';

const PUBLIC = 'hips:public';
const ROLES = 'hips:roles';

/** Operations anyone may call (login, refreshToken). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC, true);
/** Operations only these role types may call (in the caller's partnership). */
export const Roles = (...roles: RoleType[]): MethodDecorator & ClassDecorator => SetMetadata(ROLES, roles);

const CONNECTION_AUTHENTICATED = Symbol('hips:connection-authenticated');

/**
 * The request of an operation over a WebSocket connection that was authenticated when it opened (graphql-ws
 * connection_init): `user` is the connection's RequestContext, as passport leaves it for HTTP requests, so
 * GqlAuthGuard, RolesGuard, @Ctx() and requestIdOf work alike.
 */
export function connectionRequest(ctx: RequestContext): Request {
  return {
    id: ctx.requestId,
    user: ctx,
    headers: {},
    [CONNECTION_AUTHENTICATED]: true,
  } as unknown as Request;
}

function isAuthenticatedConnection(req: Request | undefined): boolean {
  return Boolean(req && (req as unknown as Record<symbol, unknown>)[CONNECTION_AUTHENTICATED] && req.user);
}

function requestOf(context: ExecutionContext): Request {
  if (context.getType<string>() === 'graphql') {
    return GqlExecutionContext.create(context).getContext<{ req: Request }>().req;
  }
  return context.switchToHttp().getRequest<Request>();
}

const ANSWER_CONTEXTS = Symbol('hips:answer-contexts');
type Path = GraphQLResolveInfo['path'];
type AnswerContexts = Map<string | number, RequestContext>;

/** The contexts login-like fields of this operation authenticated, by the response key of their root field. */
function answerContexts(req: Request): { [ANSWER_CONTEXTS]?: AnswerContexts } {
  return req as unknown as { [ANSWER_CONTEXTS]?: AnswerContexts };
}

function rootKeyOf(path: Path): string | number {
  let root = path;
  while (root.prev) root = root.prev;
  return root.key;
}

/**
 * Login and refreshToken are public, so nothing authenticated their request; once they have issued tokens, every
 * field of their own answer (the payload's viewer and anything under it) resolves as the person who just logged
 * in. Only that root field's answer: other root fields of the operation keep the request's own credentials.
 */
export function authenticateAnswer(req: Request, info: GraphQLResolveInfo, ctx: RequestContext): void {
  const holder = answerContexts(req);
  (holder[ANSWER_CONTEXTS] ??= new Map()).set(rootKeyOf(info.path), ctx);
}

/** Who is asking for this field: the person a login in this answer authenticated, else the request's caller. */
function contextOf(context: ExecutionContext): RequestContext | undefined {
  const req = requestOf(context);
  if (context.getType<string>() === 'graphql') {
    const info = GqlExecutionContext.create(context).getInfo<GraphQLResolveInfo>();
    const answer = info?.path ? answerContexts(req)[ANSWER_CONTEXTS]?.get(rootKeyOf(info.path)) : undefined;
    if (answer) return answer;
  }
  return req.user as RequestContext | undefined;
}

/** Authenticates every GraphQL operation with a bearer token or an API key unless marked @Public(). */
@Injectable()
export class GqlAuthGuard extends AuthGuard(['jwt', 'api-key']) {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override getRequest(context: ExecutionContext): Request {
    return requestOf(context);
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    // Authenticated once, at connection time, with the same rules (apps/api/src/subscriptions.ts).
    if (isAuthenticatedConnection(this.getRequest(context))) return true;
    return (await super.canActivate(context)) as boolean;
  }

  override handleRequest<TUser>(error: unknown, user: TUser): TUser {
    if (error || !user) {
      throw new ApiError(
        'UNAUTHENTICATED',
        'Authentication required: send a valid access token or API key',
        401,
      );
    }
    return user;
  }
}

/** Enforces @Roles(...) after authentication. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const roles = this.reflector.getAllAndOverride<RoleType[] | undefined>(ROLES, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!roles || roles.length === 0) return true;
    const ctx = contextOf(context);
    if (ctx && roles.some((role) => ctx.roles.includes(role))) return true;
    throw new ApiError('FORBIDDEN', `This needs one of the roles ${roles.join(', ')}`, 403);
  }
}

/** The caller's RequestContext, for passing explicitly to services. */
export const Ctx = createParamDecorator((_: unknown, context: ExecutionContext): RequestContext => {
  const ctx = contextOf(context);
  if (!ctx) throw new ApiError('UNAUTHENTICATED', 'Authentication required', 401);
  return ctx;
});

/** The raw request (client address and request id for public operations). */
export const Req = createParamDecorator((_: unknown, context: ExecutionContext): Request =>
  requestOf(context),
);
