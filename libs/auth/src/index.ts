export * from './api-key.entity';
export * from './api-key.model';
export * from './api-keys.service';
export * from './auth.module';
export * from './auth.service';
export * from './refresh-token.entity';
export * from './strategies';
export * from './entities';
