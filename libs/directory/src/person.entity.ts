import { AgencyEntity } from './agency.entity';
import { PartnershipEntity } from './partnership.entity';
import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  JoinColumn,
  ManyToOne,
} from 'typeorm';

/**
 * A professional. Visible in the partnership that invited them and in every partnership where they hold a post.
 * Login looks people up through a SECURITY DEFINER function, before any tenant is known.
 */
@Entity('people')
// One account per e-mail per partnership that invited it: an invitation never learns whether the address has an
// account in another partnership (docs/security/authentication.md, "Inviting people").
@Index(['email', 'homePartnershipId'], { unique: true })
export class PersonEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  /** Stored lower-case; the login name (with the password, which picks the account: see AuthService.login). */
  @Index()
  @Column({ type: 'text' })
  email!: string;
  @Column({ name: 'display_name', type: 'text' }) displayName!: string;
  @Index()
  @Column({ name: 'agency_id', type: 'uuid' })
  agencyId!: string;
  @Index()
  @Column({ name: 'home_partnership_id', type: 'uuid' })
  homePartnershipId!: string;
  @Column({ name: 'password_hash', type: 'text' }) passwordHash!: string;
  @Column({ name: 'disabled_at', type: 'timestamptz', nullable: true }) disabledAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @ManyToOne(() => AgencyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'agency_id' })
  agency?: AgencyEntity;
  @ManyToOne(() => PartnershipEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'home_partnership_id' })
  homePartnership?: PartnershipEntity;
}
