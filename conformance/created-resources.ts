import type { Report } from "./report";
import type { ScimClient } from "./scim-client";

/**
 * The users and groups a run created, deleted at its end (best effort, in
 * reverse order of creation so direct reports go before their leaders). Not a
 * step: a tenant's policy (e.g. `block`) may refuse some deletions.
 */
export class CreatedResources {
  private readonly created: Array<{ kind: "Users" | "Groups"; id: string }> = [];

  constructor(private readonly client: ScimClient, private readonly report: Report) {}

  add(kind: "Users" | "Groups", id: string | undefined): void {
    if (id) this.created.push({ kind, id });
  }

  /** Forgets a resource the run deleted itself. */
  forget(id: string | undefined): void {
    const index = this.created.findIndex((c) => c.id === id);
    if (index >= 0) this.created.splice(index, 1);
  }

  async deleteAll(): Promise<void> {
    const leftovers: string[] = [];
    // groups first, then users newest first
    const order = [...this.created.filter((c) => c.kind === "Groups"), ...this.created.filter((c) => c.kind === "Users").reverse()];
    for (const { kind, id } of order) {
      try {
        const answer = await this.client.delete(`/${kind}/${id}`);
        if (answer.status !== 204 && answer.status !== 404) leftovers.push(`${kind}/${id} (${answer.status})`);
      } catch (error) {
        leftovers.push(`${kind}/${id} (${error instanceof Error ? error.message : String(error)})`);
      }
    }
    this.created.length = 0;
    this.report.note(`${this.client.profile.name}: cleanup deleted ${order.length - leftovers.length} of ${order.length} resources${leftovers.length ? `; left: ${leftovers.join(", ")}` : ""}`);
  }
}
