import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The hash-chained, append-only tables; `chainColumn` is what a chain is per (none: one chain for the table). */
const CHAINED_TABLES = [
  {
    table: 'audit_log',
    trigger: 'audit_log_chain',
    rowHash: 'audit_row_hash',
    chainColumn: 'partnership_id',
  },
  { table: 'platform_audit_log', trigger: 'platform_audit_log_chain', rowHash: 'platform_audit_row_hash' },
] as const;

/**
 * One chaining trigger function for both audit tables. audit_log (per partnership) and platform_audit_log (one
 * chain) each had a near-copy of the same algorithm: lock the chain, take the last link, number and hash the new
 * row. Two copies of a tamper-evidence rule drift apart unnoticed, so the rule now lives once and each table names
 * its row-hash function and chain column as trigger arguments (docs/security/operators-and-production.md "Audit").
 *
 * It runs as its owner (security definer) because the application role may only append to platform_audit_log and
 * cannot read it. For audit_log that changes nothing: the lookup is filtered to the new row's partnership, and the
 * row-level security check on the insert (evaluated after BEFORE triggers) still refuses any other partnership's row.
 * Lock keys, numbering from 1, the zero hash of the first link and the row hashes are as before.
 */
export class OneAuditChainTrigger1797600000000 implements MigrationInterface {
  name = 'OneAuditChainTrigger1797600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create function audit_chain_append() returns trigger language plpgsql
      security definer set search_path = public as $$
      declare
        row_hash text := tg_argv[0];
        chain_column text := tg_argv[1];
        chain_key text := tg_table_name;
        chain_filter text := '';
        last_seq bigint;
        last_hash text;
      begin
        if chain_column is not null then
          execute format('select $1.%I::text', chain_column) into chain_key using new;
          chain_key := tg_table_name || ':' || chain_key;
          chain_filter := format('where %I = $1.%I', chain_column, chain_column);
        end if;
        -- Serialise appends per chain so that two transactions never chain to the same row.
        perform pg_advisory_xact_lock(hashtextextended(chain_key, 0));
        execute format('select seq, hash from %I.%I %s order by seq desc limit 1',
          tg_table_schema, tg_table_name, chain_filter) into last_seq, last_hash using new;
        new.seq := coalesce(last_seq, 0) + 1;
        new.prev_hash := coalesce(last_hash, repeat('0', 64));
        new.at := coalesce(new.at, now());
        execute format('select %I($1, $2)', row_hash) into new.hash using new.prev_hash, new;
        return new;
      end $$`);
    for (const { table, trigger, rowHash, ...rest } of CHAINED_TABLES) {
      const chainColumn = 'chainColumn' in rest ? `, '${rest.chainColumn}'` : '';
      await q.query(`drop trigger ${trigger} on ${table}`);
      await q.query(`drop function ${trigger}()`);
      await q.query(`create trigger ${trigger} before insert on ${table}
        for each row execute function audit_chain_append('${rowHash}'${chainColumn})`);
    }
  }

  /** Restores one function per table, as TenancyAndAudit and PlatformAuditLog created them. */
  async down(q: QueryRunner): Promise<void> {
    for (const { table, trigger, rowHash, ...rest } of CHAINED_TABLES) {
      const perPartnership = 'chainColumn' in rest;
      const lockKey = perPartnership ? `'${table}:' || new.partnership_id::text` : `'${table}'`;
      await q.query(`drop trigger ${trigger} on ${table}`);
      await q.query(`
        create function ${trigger}() returns trigger language plpgsql
        ${perPartnership ? '' : 'security definer set search_path = public'} as $$
        declare
          last_seq bigint;
          last_hash text;
        begin
          perform pg_advisory_xact_lock(hashtextextended(${lockKey}, 0));
          select seq, hash into last_seq, last_hash from ${table}
            ${perPartnership ? 'where partnership_id = new.partnership_id' : ''} order by seq desc limit 1;
          new.seq := coalesce(last_seq, 0) + 1;
          new.prev_hash := coalesce(last_hash, repeat('0', 64));
          new.at := coalesce(new.at, now());
          new.hash := ${rowHash}(new.prev_hash, new);
          return new;
        end $$`);
      await q.query(`create trigger ${trigger} before insert on ${table}
        for each row execute function ${trigger}()`);
    }
    await q.query(`drop function audit_chain_append()`);
  }
}
