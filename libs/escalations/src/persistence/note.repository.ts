import { Injectable } from '@nestjs/common';
import type { UnitOfWork } from '@hips/database';
import type { NoteRow } from '../mappers';

/** Writes of `escalation_notes`, authored by the unit's caller. */
@Injectable()
export class NoteRepository {
  async insert(
    uow: UnitOfWork,
    escalationId: string,
    note: { visibility: string; text: string },
  ): Promise<NoteRow> {
    const [row]: NoteRow[] = await uow.query(
      `insert into escalation_notes (partnership_id, escalation_id, author_person_id, author_api_key_id, author_agency_id,
         visibility, text) values ($1, $2, $3, $4, $5, $6, $7) returning *`,
      [
        uow.partnershipId,
        escalationId,
        uow.ctx.personId,
        uow.ctx.apiKeyId,
        uow.ctx.agencyId,
        note.visibility,
        note.text,
      ],
    );
    return row;
  }
}
