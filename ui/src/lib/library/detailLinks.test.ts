import { describe, expect, it } from "vitest";
import { FakeBackend } from "../backend/fakeBackend";
import { record, sequence } from "../testing/fixtures";
import { UploadQueue } from "../uploads/queue.svelte";
import { detailLinks } from "./detailLinks";

describe("the links of a sequence's detail", () => {
  it("offers the activity once the upload reached Strava, and the Map the Paths page", () => {
    const ride = sequence("ride");
    expect(detailLinks(ride, null)).toEqual({ activityId: null, mtpwUuid: ride.mtpwUuid });
    expect(detailLinks(ride, record(1, "ride", { state: "done", activityId: "12000000001" }))).toEqual({
      activityId: "12000000001",
      mtpwUuid: ride.mtpwUuid,
    });
    expect(detailLinks(ride, record(1, "ride", { state: "onStravaMtpwNotUpdated", activityId: "7" })).activityId).toBe("7");
    expect(detailLinks(ride, record(1, "ride", { state: "processing" })).activityId).toBeNull();
    expect(detailLinks(ride, record(1, "ride", { state: "activityDeleted", activityId: "7" })).activityId).toBeNull();
    expect(detailLinks(ride, record(1, "other", { state: "done", activityId: "7" })).activityId).toBeNull();
    expect(detailLinks(sequence("bare", { mtpwUuid: null }), null).mtpwUuid).toBeNull();
  });

  it("reads the sequence's upload and opens both links through the shell's open_link", async () => {
    const backend = new FakeBackend()
      .answer("sequence_upload", ({ id }) => record(4, id, { state: "done", activityId: "12000000004" }))
      .answer("open_link", () => null);
    const queue = new UploadQueue(backend);
    const upload = await queue.latestOf("ride");
    const links = detailLinks(sequence("ride"), upload);
    expect(await queue.open({ kind: "stravaActivity", activityId: links.activityId ?? "" })).toBeNull();
    expect(await queue.open({ kind: "mtpwSequence", uuid: links.mtpwUuid ?? "" })).toBeNull();
    expect(backend.calls.map((c) => [c.command, c.args])).toEqual([
      ["sequence_upload", { id: "ride" }],
      ["open_link", { kind: "stravaActivity", activityId: "12000000004" }],
      ["open_link", { kind: "mtpwSequence", uuid: "6f1c2c1e-8d0b-4a57-9a0e-2d7f7b3b8a10" }],
    ]);
    const refusing = new UploadQueue(new FakeBackend().answer("open_link", () => {
      throw { code: "internal", message: "The browser could not be opened." };
    }));
    expect(await refusing.open({ kind: "stravaActivity", activityId: "1" })).toBe("The browser could not be opened.");
  });
});
