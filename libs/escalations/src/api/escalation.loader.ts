import { indexBy, RequestContext, requestLoader } from '@hips/common';
import { DirectoryService } from '@hips/directory';
import { EscalationReadService } from '../application/escalation-read.service';

/** Per-request loaders: a page of cases costs one query per kind of look-up, whatever its size. */
export class EscalationLoaders {
  static stages(read: EscalationReadService, ctx: RequestContext) {
    return requestLoader(ctx, 'escalationStages', (ids) => read.stagesByEscalation(ctx, ids));
  }
  static children(read: EscalationReadService, ctx: RequestContext) {
    return requestLoader(ctx, 'escalationChildren', (ids) => read.children(ctx, ids));
  }
  static notes(read: EscalationReadService, ctx: RequestContext) {
    return requestLoader(ctx, 'escalationNotes', (ids) => read.notesByEscalation(ctx, ids));
  }
  static reports(read: EscalationReadService, ctx: RequestContext) {
    return requestLoader(
      ctx,
      'viewerReports',
      async () => new Map([['me', await read.reportsOfViewer(ctx)]]),
    );
  }
  static partnership(directory: DirectoryService, ctx: RequestContext) {
    return requestLoader(ctx, 'partnership', async (ids) =>
      indexBy(await directory.partnershipsByIds(ctx, ids), (p) => p.uuid),
    );
  }
}
