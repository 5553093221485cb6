import { Injectable } from '@nestjs/common';
import type { Cursor } from '@hips/common';
import type { UnitOfWork } from '@hips/database';
import { DELIVERY_COLUMNS, DeliveryRow, EndpointRow } from './webhook-rows';

/** Endpoints (webhook_endpoints) and the delivery log (webhook_deliveries) of the unit's partnership. */
@Injectable()
export class WebhooksRepository {
  async insertEndpoint(
    uow: UnitOfWork,
    endpoint: { id: string; agencyId: string; url: string; secretEncrypted: string; events: string[] },
  ): Promise<EndpointRow> {
    const [row]: EndpointRow[] = await uow.query(
      `insert into webhook_endpoints (id, partnership_id, agency_id, url, secret_encrypted, event_kinds,
         created_by_person_id)
       values ($1, $2, $3, $4, $5, $6, $7) returning *`,
      [
        endpoint.id,
        uow.partnershipId,
        endpoint.agencyId,
        endpoint.url,
        endpoint.secretEncrypted,
        endpoint.events,
        uow.ctx.personId,
      ],
    );
    return row;
  }

  /** The partnership's endpoints, or one agency's (`agencyId`), oldest first. */
  endpoints(uow: UnitOfWork, agencyId: string | null): Promise<EndpointRow[]> {
    return uow.query(
      `select * from webhook_endpoints where partnership_id = $1 and ($2::uuid is null or agency_id = $2)
       order by created_at, id`,
      [uow.partnershipId, agencyId],
    );
  }

  /** One endpoint of the partnership, or of one agency (`agencyId`). */
  async endpoint(
    uow: UnitOfWork,
    id: string,
    agencyId: string | null = null,
  ): Promise<EndpointRow | undefined> {
    const [row]: EndpointRow[] = await uow.query(
      `select e.* from webhook_endpoints e
       where e.id = $1 and e.partnership_id = $2 and ($3::uuid is null or e.agency_id = $3)`,
      [id, uow.partnershipId, agencyId],
    );
    return row;
  }

  /** Disables an endpoint (not yet disabled). */
  async disableEndpoint(uow: UnitOfWork, id: string): Promise<EndpointRow> {
    const [row] = await uow.changed<EndpointRow>(
      'update webhook_endpoints set disabled_at = now() where id = $1 and disabled_at is null returning *',
      [id],
    );
    return row;
  }

  /** Gives up what was waiting for an endpoint (it was disabled), saying why. */
  async giveUpDeliveries(uow: UnitOfWork, endpointId: string): Promise<void> {
    await uow.query(
      `update webhook_deliveries set status = 'DEAD', last_error = 'endpoint disabled'
       where endpoint_id = $1 and status in ('PENDING', 'FAILED')`,
      [endpointId],
    );
  }

  /** A page of an endpoint's deliveries, newest first, after the (created_at, id) cursor. */
  deliveries(
    uow: UnitOfWork,
    endpointId: string,
    after: Cursor | null,
    limit: number,
  ): Promise<DeliveryRow[]> {
    return uow.query(
      `select ${DELIVERY_COLUMNS} from webhook_deliveries
       where partnership_id = $1 and endpoint_id = $2
         and ($3::text is null or (created_at, id) < ($3::timestamptz, $4::uuid))
       order by created_at desc, id desc limit $5`,
      [uow.partnershipId, endpointId, after?.key ?? null, after?.id ?? null, limit],
    );
  }

  async countDeliveries(uow: UnitOfWork, endpointId: string): Promise<number> {
    const [{ count }]: { count: number }[] = await uow.query(
      'select count(*)::int as count from webhook_deliveries where partnership_id = $1 and endpoint_id = $2',
      [uow.partnershipId, endpointId],
    );
    return count;
  }

  /** One delivery with its endpoint's agency, when that endpoint is of the partnership (or of `agencyId`). */
  async delivery(
    uow: UnitOfWork,
    id: string,
    agencyId: string | null = null,
  ): Promise<(DeliveryRow & { endpoint_agency_id: string }) | undefined> {
    const [row]: (DeliveryRow & { endpoint_agency_id: string })[] = await uow.query(
      `select ${DELIVERY_COLUMNS},
         (select e.agency_id from webhook_endpoints e where e.id = d.endpoint_id) as endpoint_agency_id
       from webhook_deliveries d
       where d.id = $1 and d.partnership_id = $2
         and exists (select 1 from webhook_endpoints e
                      where e.id = d.endpoint_id and ($3::uuid is null or e.agency_id = $3))`,
      [id, uow.partnershipId, agencyId],
    );
    return row;
  }

  /** Makes a delivery due now (a replay). */
  async replay(uow: UnitOfWork, id: string): Promise<DeliveryRow> {
    const [row] = await uow.changed<DeliveryRow>(
      `update webhook_deliveries set status = 'PENDING', next_attempt_at = now(), delivered_at = null
       where id = $1 returning ${DELIVERY_COLUMNS}`,
      [id],
    );
    return row;
  }
}
