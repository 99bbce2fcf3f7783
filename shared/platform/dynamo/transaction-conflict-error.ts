/** A transaction that met a `TransactionConflict` on every attempt: nothing of it was written. */
export class TransactionConflictError extends Error {
  constructor(readonly attempts: number) {
    super(`the transaction met a TransactionConflict on all ${attempts} attempts`);
    this.name = 'TransactionConflictError';
  }
}
