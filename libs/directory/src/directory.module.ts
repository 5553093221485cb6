import { Module } from '@nestjs/common';
import { DirectoryAdminService } from './directory-admin.service';
import {
  AgencyFieldsResolver,
  DirectoryResolver,
  OrgUnitFieldsResolver,
  PersonFieldsResolver,
} from './directory.resolver';
import { DirectoryService } from './directory.service';

@Module({
  providers: [
    DirectoryService,
    DirectoryAdminService,
    DirectoryResolver,
    AgencyFieldsResolver,
    OrgUnitFieldsResolver,
    PersonFieldsResolver,
  ],
  exports: [DirectoryService, DirectoryAdminService],
})
export class DirectoryModule {}
