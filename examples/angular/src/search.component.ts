import { AsyncPipe } from '@angular/common';
import { Component, signal } from '@angular/core';
import { Observable, Subject, debounceTime, distinctUntilChanged, from, of, switchMap } from 'rxjs';
import { asCompleted, threadModule, type Pending } from 'rxjs-caller';
import { injectCaller } from 'rxjs-caller/angular';

// Addressed by the name search.worker.ts registers them under: the page never loads the module itself.
const tasks = threadModule<typeof import('./search.tasks')>('search-tasks');
const SHARDS = 4;

export interface SearchState {
  readonly term: string;
  readonly status: string;
  readonly words: readonly string[];
  readonly progress: readonly string[];
  readonly error?: string;
}

@Component({
  selector: 'app-search',
  imports: [AsyncPipe],
  template: `
    <label>Search fruit <input class="term" (input)="terms.next($any($event.target).value)" /></label>
    @if (state$ | async; as state) {
      <p class="status">{{ state.status }}</p>
      <ul class="results">
        @for (word of state.words; track word) {
          <li>{{ word }}</li>
        }
      </ul>
      <ol class="progress">
        @for (step of state.progress; track $index) {
          <li>{{ step }}</li>
        }
      </ol>
      @if (state.error) {
        <p class="error" role="alert">{{ state.error }}</p>
      }
    }
    <h2>In the workers</h2>
    <ul class="worker-log">
      @for (line of workerLog(); track $index) {
        <li>{{ line }}</li>
      }
    </ul>
  `,
})
export class SearchComponent {
  /** Timing of the UI (the debounce): inside Angular, like any RxJS scheduler. */
  private readonly ui = injectCaller({ name: 'search-ui' });
  /** The searches: their ticks and workers stay outside Angular; results come back inside. */
  private readonly work = injectCaller({ name: 'search-work', zone: 'outside' });

  readonly terms = new Subject<string>();
  readonly state$: Observable<SearchState> = this.terms.pipe(
    debounceTime(150, this.ui),
    distinctUntilChanged(),
    // A new term unsubscribes from the old search: asCompleted cancels its unfinished calls, in the worker.
    switchMap((term) => (term === '' ? of({ term, status: '', words: [], progress: [] }) : this.search(term))),
  );

  readonly workerLog = signal<string[]>([]);

  constructor() {
    const log = new BroadcastChannel('rxjs-caller-example');
    log.onmessage = (event: MessageEvent<string>) => this.workerLog.update((lines) => [...lines, event.data]);
    this.ui.stopped.then(() => log.close());
  }

  /** One search: a shard per thread call, in a PendingGroup (one failure cancels the rest), progress as shards finish. */
  private search(term: string): Observable<SearchState> {
    return new Observable<SearchState>((subscriber) => {
      const shards: Pending<string[]>[] = [];
      const group = this.work.createPendingGroup();
      const all = group.run(() => {
        for (let shard = 0; shard < SHARDS; shard++) shards.push(this.work.toThread(tasks.searchShard, term, shard, SHARDS));
      });
      let state: SearchState = { term, status: `Searching for '${term}'…`, words: [], progress: [] };
      subscriber.next(state);
      const progress = from(shards)
        .pipe(asCompleted())
        .subscribe((shard) => {
          const n = shards.indexOf(shard) + 1;
          const step =
            shard.state === 'fulfilled' ? `shard ${n}/${SHARDS}: ${shard.result().length} found` : `shard ${n}/${SHARDS}: ${shard.state === 'cancelled' ? 'cancelled' : `failed (${(shard.exception() as Error).message})`}`;
          const words = shard.state === 'fulfilled' ? [...state.words, ...shard.result()].sort() : state.words;
          state = { ...state, words, progress: [...state.progress, step] };
          subscriber.next(state);
        });
      all.then(
        () => subscriber.next((state = { ...state, status: `${state.words.length} found for '${term}'` })),
        (error: unknown) => subscriber.next((state = { ...state, status: `Search for '${term}' failed`, error: String(error) })),
      );
      return () => {
        progress.unsubscribe();
        all.cancel('a newer search');
      };
    });
  }
}
