import { ApiKeyEntity } from './api-key.entity';
import { RefreshTokenEntity } from './refresh-token.entity';

/** The auth library's tables, registered by the composition root (apps/entities.ts). */
export const AUTH_ENTITIES = [ApiKeyEntity, RefreshTokenEntity];
