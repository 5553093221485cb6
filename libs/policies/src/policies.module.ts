import { Module, OnModuleInit } from '@nestjs/common';
import { CalendarModule } from '@hips/calendar';
import { DirectoryModule, DirectoryService } from '@hips/directory';
import { EscalationPolicyFieldsResolver, PoliciesResolver } from './policies.resolver';
import { PoliciesService } from './policies.service';
import { PoliciesRepository } from './persistence/policies.repository';

@Module({
  imports: [DirectoryModule, CalendarModule],
  providers: [PoliciesRepository, PoliciesService, PoliciesResolver, EscalationPolicyFieldsResolver],
  exports: [PoliciesService, PoliciesRepository],
})
export class PoliciesModule implements OnModuleInit {
  constructor(
    private readonly directory: DirectoryService,
    private readonly policies: PoliciesService,
  ) {}

  onModuleInit(): void {
    this.directory.registerNodeType('EscalationPolicy', (ctx, id) => this.policies.byGlobalId(ctx, id));
  }
}
