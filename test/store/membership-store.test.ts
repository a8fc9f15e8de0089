import { expect } from "chai";
import { randomUUID } from "node:crypto";
import { addMembers, memberIdsOf } from "../../src/store/membership-store";
import { MembershipModel } from "../../src/store/models";

describe("addMembers", () => {
  it("counts only the memberships it created when some already exist [unordered insert with duplicates]", async () => {
    const tenant = `members-${randomUUID().slice(0, 8)}`;
    const groupId = randomUUID();
    const now = new Date();
    try {
      expect(await addMembers(tenant, groupId, ["u1", "u3"], now)).to.equal(2);
      expect(await addMembers(tenant, groupId, ["u1", "u2", "u3", "u4", "u2"], now)).to.equal(2);
      expect(await addMembers(tenant, groupId, ["u4"], now)).to.equal(0);
      expect((await memberIdsOf(tenant, groupId)).sort()).to.deep.equal(["u1", "u2", "u3", "u4"]);
    } finally {
      await MembershipModel.deleteMany({ tenant }).exec();
    }
  });
});
