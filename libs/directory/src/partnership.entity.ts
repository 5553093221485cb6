import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** The four HIPS partnerships (tenants). Reference data, readable by every tenant. */
@Entity('partnerships')
export class PartnershipEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text', unique: true }) code!: string;
  @Column({ type: 'text' }) name!: string;
  /** Short prefix of case references, e.g. PSCP. */
  @Column({ name: 'reference_prefix', type: 'text' }) referencePrefix!: string;
  @Column({ name: 'contact_email', type: 'text' }) contactEmail!: string;
  @Column({ name: 'reflective_step_name', type: 'text', nullable: true }) reflectiveStepName!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
