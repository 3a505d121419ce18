// The app's stores: created once from a backend (`createStores`, in App.svelte), handed down by
// Svelte context (`provideStores`), read by components with `useStores`. Tests create them from
// the fake backend.

import { createContext } from "svelte";
import { Accounts } from "../accounts/accounts.svelte";
import { FirstRun, type GuideStorage } from "../accounts/firstRun.svelte";
import type { Backend } from "../backend/backend";
import { Library } from "../library/library.svelte";
import { LibrarySelection } from "../library/librarySelection.svelte";
import { MtpwLinker } from "../library/mtpwLinker.svelte";
import { Connections } from "../uploads/connections.svelte";
import { History } from "../uploads/history.svelte";
import { UploadQueue } from "../uploads/queue.svelte";
import { Drops } from "./drops.svelte";
import { Navigation } from "./navigation.svelte";
import { Notices } from "./notices.svelte";

/** Every store of the app, one of each. */
interface Stores {
  library: Library;
  selection: LibrarySelection;
  mtpwLinker: MtpwLinker;
  uploadQueue: UploadQueue;
  history: History;
  connections: Connections;
  accounts: Accounts;
  firstRun: FirstRun;
  navigation: Navigation;
  notices: Notices;
  drops: Drops;
}

/** The stores over one backend; `storage` keeps what the first-run guide remembers. */
export function createStores(backend: Backend, storage: GuideStorage | null): Stores {
  const notices = new Notices();
  const library = new Library(backend, notices);
  const uploadQueue = new UploadQueue(backend);
  return {
    library,
    selection: new LibrarySelection(uploadQueue),
    mtpwLinker: new MtpwLinker(backend, library),
    uploadQueue,
    history: new History(backend),
    connections: new Connections(),
    accounts: new Accounts(backend),
    firstRun: new FirstRun(storage),
    navigation: new Navigation(),
    notices,
    drops: new Drops(backend, library, notices),
  };
}

const [getStores, setStores] = createContext<Stores>();

/** Hands the stores to every component below (App.svelte, once). */
export function provideStores(stores: Stores): void {
  setStores(stores);
}

/** The app's stores, from a component's script. */
export function useStores(): Stores {
  return getStores();
}
