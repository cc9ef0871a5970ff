import { useEffect, useState } from 'react';
import { errorText } from './api';

/** Loads now and every `ms`, keeping the last answer and the last failure. */
export function usePolling<T>(
  load: () => Promise<T>,
  ms: number,
): { data: T | undefined; problem: string | undefined } {
  const [data, setData] = useState<T>();
  const [problem, setProblem] = useState<string>();
  useEffect(() => {
    let stopped = false;
    const run = () =>
      load()
        .then((value) => {
          if (stopped) return;
          setData(value);
          setProblem(undefined);
        })
        .catch((error: unknown) => {
          if (!stopped) setProblem(errorText(error));
        });
    void run();
    const timer = setInterval(run, ms);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [load, ms]);
  return { data, problem };
}
