import { expect } from "chai";
import { checkSeatAvailable } from "../../src/domain/check-seat";

describe("checkSeatAvailable", () => {
  it("refuses with 403 when the seat limit is reached", () => {
    expect(checkSeatAvailable(3, 3)).to.deep.equal({ status: 403, reason: "noSeat", detail: "No seat is left: seatLimit 3 reached" });
  });

  it("refuses when usage is above the limit [limit lowered]", () => {
    expect(checkSeatAvailable(5, 3)?.reason).to.equal("noSeat");
  });

  it("allows a user while a seat is free", () => {
    expect(checkSeatAvailable(2, 3)).to.equal(null);
  });

  it("allows any number of users without a limit [null]", () => {
    expect(checkSeatAvailable(1_000_000, null)).to.equal(null);
  });

  it("refuses every user with a limit of zero [0]", () => {
    expect(checkSeatAvailable(0, 0)?.status).to.equal(403);
  });
});
