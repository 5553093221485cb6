/**
 * The code of the partnership whose id is `idColumn`, as a scalar subquery. The directory owns the partnerships
 * table (docs/architecture.md "Modules"); a library that must name a partnership's code inside its own one
 * statement (the same transaction, no extra round trip: a token's code on every API-key request, a webhook
 * payload's) embeds this instead of writing its own SQL on partnerships. `idColumn` is a column reference of
 * the caller's statement, never user input.
 */
export function partnershipCodeOf(idColumn: string): string {
  if (!/^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/.test(idColumn)) {
    throw new Error(`not a column reference: ${idColumn}`);
  }
  return `(select code from partnerships where id = ${idColumn})`;
}
