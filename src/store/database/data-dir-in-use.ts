/**
 * Thrown by a backend whose data directory another process holds (a second
 * Roster on the same `ROSTER_DATA_DIR`): the chain stops here rather than
 * start the next database on other, empty data.
 */
export class DataDirInUse extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "DataDirInUse";
  }
}
