export * from './dto/policy.model';
export * from './dto/policy.input';
export * from './policies.module';
export * from './policies.resolver';
export * from './policies.service';
export * from './policy.entity';
export * from './preview';
export * from './persistence/policies.repository';
