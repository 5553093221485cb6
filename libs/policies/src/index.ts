export * from './dto/policy.types';
export * from './policies.module';
export * from './policies.resolver';
export * from './policies.service';
export * from './policy.entity';
export * from './preview';
export * from './persistence/policy-scope.repository';
export * from './open-case-retiming';
