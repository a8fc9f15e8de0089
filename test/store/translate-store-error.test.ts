import { expect } from "chai";
import mongoose from "mongoose";
import { RosterError } from "../../src/domain/roster-error";
import { isConnectionLoss, translateStoreError } from "../../src/store/translate-store-error";

const { mongo } = mongoose;
/** The driver's own error for a server nobody listens on (port 1). */
async function serverSelectionFailure(): Promise<Error> {
  const client = new mongo.MongoClient("mongodb://127.0.0.1:1", { serverSelectionTimeoutMS: 200 });
  const error = await client.connect().then(() => undefined, (failure: Error) => failure);
  await client.close();
  if (!error) throw new Error("expected nothing to listen on 127.0.0.1:1");
  return error;
}

describe("translateStoreError", () => {
  const connectionLosses: Array<[string, Error]> = [
    ["MongoNetworkError", new mongo.MongoNetworkError("connection 7 to 10.0.0.9:27017 closed")],
    ["MongoNetworkTimeoutError", new mongo.MongoNetworkTimeoutError("connection timed out")],
    ["MongoNotConnectedError", new mongo.MongoNotConnectedError("Client must be connected before running operations")],
    ["MongoTopologyClosedError", new mongo.MongoTopologyClosedError()],
    ["MongooseServerSelectionError", new mongoose.Error.MongooseServerSelectionError("Could not connect to any servers")],
    ["wrapped in cause", new Error("write failed", { cause: new mongo.MongoNetworkError("socket hang up") })],
  ];
  for (const [name, error] of connectionLosses) {
    it(`maps a lost connection to 503 with Retry-After [${name}]`, () => {
      const translated = translateStoreError(error);
      expect(translated.kind).to.equal("serviceUnavailable");
      expect(translated.status).to.equal(503);
      expect(translated.retryAfter).to.be.greaterThan(0);
      expect(translated.detail).not.to.match(/10\.0\.0\.9|connection 7|Mongo/);
    });
  }

  it("maps a lost connection to 503 with Retry-After [MongoServerSelectionError from a real connect]", async () => {
    const error = await serverSelectionFailure();
    expect(error).to.be.instanceOf(mongo.MongoServerSelectionError);
    expect(translateStoreError(error).status).to.equal(503);
  });

  it("maps a duplicate key to 409 uniqueness naming the attribute [E11000 with keyPattern]", () => {
    const error = Object.assign(new mongo.MongoServerError({ message: "E11000 duplicate key error", code: 11000 }), { keyPattern: { tenant: 1, userNameKey: 1 } });
    const translated = translateStoreError(error);
    expect([translated.status, translated.scimType, translated.detail]).to.deep.equal([409, "uniqueness", "userName is already in use"]);
  });

  it("maps a duplicate key to 409 uniqueness naming the given attribute [FerretDB UNIQUE constraint]", () => {
    const error = new mongo.MongoServerError({ message: "UNIQUE constraint failed: users.displayNameKey", code: 1 });
    expect(translateStoreError(error, "displayName").detail).to.equal("displayName is already in use");
  });

  it("maps a cast error to 400 invalidValue", () => {
    const translated = translateStoreError(new mongoose.Error.CastError("ObjectId", "x", "_id"));
    expect([translated.status, translated.scimType]).to.deep.equal([400, "invalidValue"]);
  });

  it("maps any other server error to a generic 500 [not a connection loss]", () => {
    const error = new mongo.MongoServerError({ message: "not authorized on roster", code: 13 });
    expect(isConnectionLoss(error)).to.equal(false);
    const translated = translateStoreError(error);
    expect([translated.status, translated.detail]).to.deep.equal([500, "Internal server error"]);
  });

  it("keeps a RosterError as it is", () => {
    const error = RosterError.notFound("no such user");
    expect(translateStoreError(error)).to.equal(error);
  });
});
