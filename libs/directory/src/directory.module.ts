import { Module } from '@nestjs/common';
import { DirectoryAdminService } from './directory-admin.service';
import {
  AgencyFieldsResolver,
  DirectoryResolver,
  OrgUnitFieldsResolver,
  PersonFieldsResolver,
} from './directory.resolver';
import { DirectoryService } from './directory.service';
import {
  AbsenceFieldsResolver,
  OrgStructureResolver,
  OrgUnitStructureFieldsResolver,
  PersonStructureFieldsResolver,
  PostFieldsResolver,
  StageOwnerRouteFieldsResolver,
  StageOwnerRouteStepFieldsResolver,
  StructuralProblemFieldsResolver,
} from './org-structure.resolver';
import { OrgStructureReadService } from './org-structure-read.service';
import { OrgStructureService } from './org-structure.service';
import { AbsencesRepository } from './persistence/absences.repository';
import { PostsRepository } from './persistence/posts.repository';
import { DirectoryRepository } from './persistence/directory.repository';
import { RoutingService } from './routing.service';
import { AccessChangesService } from './access-changes.service';
import {
  AccessChangeFieldsResolver,
  RoleGrantFieldsResolver,
  RoleGrantsResolver,
} from './role-grants.resolver';
import { RoleGrantsService } from './role-grants.service';
import { RoleGrantsRepository } from './persistence/role-grants.repository';
import { AgencyMembershipRepository } from './persistence/agency-membership.repository';

@Module({
  providers: [
    AgencyMembershipRepository,
    DirectoryRepository,
    RoleGrantsRepository,
    PostsRepository,
    AbsencesRepository,
    DirectoryService,
    DirectoryAdminService,
    DirectoryResolver,
    AgencyFieldsResolver,
    OrgUnitFieldsResolver,
    PersonFieldsResolver,
    // organisational structures and routing
    OrgStructureService,
    OrgStructureReadService,
    RoutingService,
    OrgStructureResolver,
    PostFieldsResolver,
    AbsenceFieldsResolver,
    PersonStructureFieldsResolver,
    OrgUnitStructureFieldsResolver,
    StageOwnerRouteFieldsResolver,
    StageOwnerRouteStepFieldsResolver,
    StructuralProblemFieldsResolver,
    // separation of duties: four-eyes grants and access changes
    RoleGrantsService,
    AccessChangesService,
    RoleGrantsResolver,
    RoleGrantFieldsResolver,
    AccessChangeFieldsResolver,
  ],
  exports: [
    AgencyMembershipRepository,
    DirectoryRepository,
    DirectoryService,
    DirectoryAdminService,
    OrgStructureService,
    RoutingService,
  ],
})
export class DirectoryModule {}
