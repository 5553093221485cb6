import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '@hips/audit';
import {
  decodeCursor,
  fail,
  hasRole,
  idOf,
  InputCheck,
  notFound,
  pageSize,
  RequestContext,
  toGlobalId,
  toPage,
} from '@hips/common';
import { APP_CONFIG, AppConfig } from '@hips/config';
import { TenantDb, UnitOfWork } from '@hips/database';
import { AgencyMembershipRepository, assertCanManageAgency } from '@hips/directory';
import { forbiddenHost } from './address-guard';
import { WebhookDelivery, WebhookEndpoint } from './dto/webhooks.model';
import { EndpointRow, toDelivery, toEndpoint } from './persistence/webhook-rows';
import { WebhooksRepository } from './persistence/webhooks.repository';
import { enqueueWebhookDeliveries, WebhookEvent } from './enqueue';
import {
  encryptSecret,
  eventKindProblem,
  newWebhookSecret,
  WEBHOOK_EVENT_KINDS_MAX,
  webhookUrlProblem,
} from './signing';

/** AAD binding an encrypted secret to its endpoint row. */
export function endpointSecretAad(endpointId: string): string {
  return `webhook_endpoint:${endpointId}`;
}

/**
 * Webhook endpoints of agencies' systems, the delivery log, replays, and `enqueue` for the case code.
 * Managing an endpoint takes the PARTNERSHIP_ADMIN of the partnership or the AGENCY_ADMIN of its agency.
 */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly db: TenantDb,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    // Stateless repositories: defaults keep hand-built instances (scripts, specs) working.
    private readonly memberships: AgencyMembershipRepository = new AgencyMembershipRepository(),
    private readonly webhooks: WebhooksRepository = new WebhooksRepository(),
  ) {}

  /**
   * For the case code, inside its own transaction (tenant set) when a case event happens: one delivery per
   * enabled, matching endpoint of the involved agencies. Idempotent per (endpoint, event).
   */
  enqueue(em: EntityManager, partnershipId: string, event: WebhookEvent): Promise<string[]> {
    return enqueueWebhookDeliveries(em, this.config.publicUrl, partnershipId, event);
  }

  async create(
    ctx: RequestContext,
    input: { agencyId: string; url: string; events?: string[] | null },
  ): Promise<{ endpoint: WebhookEndpoint; signingSecret: string }> {
    const url = input.url.trim();
    const events = [...new Set((input.events ?? []).map((e) => e.trim()))];
    const urlProblem = webhookUrlProblem(url, this.config.webhooks.allowHttp);
    const kindProblem = events.map(eventKindProblem).find((p) => p !== null) ?? null;
    new InputCheck()
      .that(url.length > 0, ['input', 'url'], 'url is required')
      .that(url.length === 0 || urlProblem === null, ['input', 'url'], urlProblem ?? '')
      .that(
        events.length <= WEBHOOK_EVENT_KINDS_MAX,
        ['input', 'events'],
        `at most ${WEBHOOK_EVENT_KINDS_MAX} event kinds`,
      )
      .that(kindProblem === null, ['input', 'events'], kindProblem ?? '')
      .done();
    const forbidden = forbiddenHost(new URL(url).hostname, {
      allowLoopback: this.config.webhooks.allowLoopback,
    });
    if (forbidden !== null) {
      fail('WEBHOOK_URL_FORBIDDEN', `url must point to a public address; this one is ${forbidden}`, [
        'input',
        'url',
      ]);
    }
    const signingSecret = newWebhookSecret();
    return this.db.transaction(ctx, async (uow) => {
      const agencyId = await assertCanManageAgency(uow.em, ctx, idOf(input.agencyId, 'Agency'), [
        'input',
        'agencyId',
      ]);
      const id = randomUUID();
      const row = await this.webhooks.insertEndpoint(uow, {
        id,
        agencyId,
        url,
        secretEncrypted: encryptSecret(
          this.config.identifierEncryptionKey,
          signingSecret,
          endpointSecretAad(id),
        ),
        events,
      });
      await this.audit.record(uow.em, ctx, {
        action: 'WEBHOOK_ENDPOINT_CREATED',
        entityType: 'WebhookEndpoint',
        entityId: id,
        detail: { agencyId, events },
      });
      return { endpoint: toEndpoint(row), signingSecret };
    });
  }

  /** One agency's endpoints, or (agencyId omitted) the partnership's for its admin / the caller's agency's. */
  async list(ctx: RequestContext, agencyGlobalId: string | null | undefined): Promise<WebhookEndpoint[]> {
    return this.db.transaction(ctx, async (uow) => {
      let agencyId: string | null;
      if (agencyGlobalId) {
        agencyId = await assertCanManageAgency(uow.em, ctx, idOf(agencyGlobalId, 'Agency'), ['agencyId']);
      } else if (hasRole(ctx, 'PARTNERSHIP_ADMIN')) {
        agencyId = null;
      } else if (hasRole(ctx, 'AGENCY_ADMIN') && ctx.agencyId) {
        agencyId = ctx.agencyId;
      } else {
        fail('FORBIDDEN', 'Only a partnership admin, or an agency admin, may list webhook endpoints');
      }
      return (await this.webhooks.endpoints(uow, agencyId)).map(toEndpoint);
    });
  }

  async disable(ctx: RequestContext, endpointGlobalId: string): Promise<{ endpoint: WebhookEndpoint }> {
    return this.db.transaction(ctx, async (uow) => {
      const endpoint = await this.manageableEndpoint(uow, endpointGlobalId, ['input', 'endpointId']);
      if (endpoint.disabled_at)
        fail('INVALID_STATE', 'The endpoint is already disabled', ['input', 'endpointId']);
      const row = await this.webhooks.disableEndpoint(uow, endpoint.id);
      // Nothing more leaves for a disabled endpoint: what was waiting is given up, and says why.
      await this.webhooks.giveUpDeliveries(uow, endpoint.id);
      await this.audit.record(uow.em, ctx, {
        action: 'WEBHOOK_ENDPOINT_DISABLED',
        entityType: 'WebhookEndpoint',
        entityId: endpoint.id,
      });
      return { endpoint: toEndpoint(row) };
    });
  }

  /** The delivery log of one endpoint, newest first. */
  async deliveries(
    ctx: RequestContext,
    endpointGlobalId: string,
    first: number | null | undefined,
    after: string | null | undefined,
  ) {
    const limit = pageSize(first);
    const cursor = decodeCursor(after, 'timestamp');
    return this.db.transaction(ctx, async (uow) => {
      const endpoint = await this.manageableEndpoint(uow, endpointGlobalId, ['endpointId']);
      const rows = await this.webhooks.deliveries(uow, endpoint.id, cursor, limit + 1);
      const count = await this.webhooks.countDeliveries(uow, endpoint.id);
      const page = toPage(
        rows.map(toDelivery),
        limit,
        (d) => ({ key: d.createdKey, id: d.uuid }),
        cursor !== null,
      );
      return { ...page, totalCount: count };
    });
  }

  /**
   * One endpoint by global id, for `node`: what `webhookEndpoints` shows the viewer (a PARTNERSHIP_ADMIN: any of
   * its partnership's agencies'; an AGENCY_ADMIN: its own agency's). Null for anyone else and other partnerships.
   */
  async endpointByGlobalId(ctx: RequestContext, globalId: string): Promise<WebhookEndpoint | null> {
    const id = idOf(globalId, 'WebhookEndpoint');
    const viewerAgency = this.manageableAgencyFilter(ctx);
    if (!id || viewerAgency === false) return null;
    return this.db.transaction(ctx, async (uow) => {
      const row = await this.webhooks.endpoint(uow, id, viewerAgency);
      return row && (await this.memberships.isMember(uow, row.agency_id)) ? toEndpoint(row) : null;
    });
  }

  /** One delivery by global id, for `node`: visible when its endpoint is (as in `webhookDeliveries`). */
  async deliveryByGlobalId(ctx: RequestContext, globalId: string): Promise<WebhookDelivery | null> {
    const id = idOf(globalId, 'WebhookDelivery');
    const viewerAgency = this.manageableAgencyFilter(ctx);
    if (!id || viewerAgency === false) return null;
    return this.db.transaction(ctx, async (uow) => {
      const row = await this.webhooks.delivery(uow, id, viewerAgency);
      return row && (await this.memberships.isMember(uow, row.endpoint_agency_id)) ? toDelivery(row) : null;
    });
  }

  /** Whose endpoints the viewer manages: null for all (PARTNERSHIP_ADMIN), an agency id, or false for none. */
  private manageableAgencyFilter(ctx: RequestContext): string | null | false {
    if (hasRole(ctx, 'PARTNERSHIP_ADMIN')) return null;
    if (hasRole(ctx, 'AGENCY_ADMIN') && ctx.agencyId) return ctx.agencyId;
    return false;
  }

  /** Sends a delivery again, as a new attempt (its attempt count goes on; a DEAD one gets one more try). */
  async replay(ctx: RequestContext, deliveryGlobalId: string): Promise<{ delivery: WebhookDelivery }> {
    const field = ['input', 'deliveryId'];
    const deliveryId = idOf(deliveryGlobalId, 'WebhookDelivery');
    return this.db.transaction(ctx, async (uow) => {
      const found = deliveryId ? await this.webhooks.delivery(uow, deliveryId) : undefined;
      if (!found) notFound('Webhook delivery', field);
      const endpoint = await this.manageableEndpoint(
        uow,
        toGlobalId('WebhookEndpoint', found.endpoint_id),
        field,
      );
      if (endpoint.disabled_at) fail('INVALID_STATE', 'The endpoint is disabled', field);
      // Due now. Replaying a delivery whose attempt is in flight may send it twice (at least once, as ever):
      // receivers deduplicate on X-Hips-Delivery; the outcome of the older attempt is then not recorded.
      const row = await this.webhooks.replay(uow, found.id);
      await this.audit.record(uow.em, ctx, {
        action: 'WEBHOOK_DELIVERY_REPLAYED',
        entityType: 'WebhookDelivery',
        entityId: found.id,
      });
      return { delivery: toDelivery(row) };
    });
  }

  /** The endpoint, if it is the tenant's (else NOT_FOUND, like a missing one) and the caller may manage it. */
  private async manageableEndpoint(
    uow: UnitOfWork,
    endpointGlobalId: string,
    field: string[],
  ): Promise<EndpointRow> {
    const id = idOf(endpointGlobalId, 'WebhookEndpoint');
    const row = id ? await this.webhooks.endpoint(uow, id) : undefined;
    if (!row) notFound('Webhook endpoint', field);
    await assertCanManageAgency(uow.em, uow.ctx, row.agency_id, field);
    return row;
  }
}
