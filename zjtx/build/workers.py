"""Work in a second process: the one way the build uses both cores.

A `Worker` is a standard process pool of one process (concurrent.futures), forked when its first job is submitted,
so the process starts with what this one has loaded (the register, shared copy-on-write) and only small arguments
and results cross between them. Errors cross as themselves: the library's errors keep their type and both their
messages (zjtx.errors.ZjtxError pickles whole), a process that dies (out of memory, killed) becomes a BuildError
that names the work, and a bug becomes a BuildError that carries its traceback for the report.

Where fork is missing (not Linux or macOS), a job runs in this process when its result is asked for.
"""

from __future__ import annotations

import itertools
import multiprocessing
import traceback
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any
from collections.abc import Callable

from ..errors import BuildError, ZjtxError

# What each worker shares with its process, by worker: set before the process is forked, read in it.
_shared: dict[int, Any] = {}
_numbers = itertools.count()


def _run(number: int, function: Callable, args: tuple):
    return function(_shared[number], *args)


class Job:
    """A job of a worker: its result, or its error as the build reports it."""

    def __init__(self, worker: Worker, future: Future | None, call: Callable[[], Any]):
        self.worker, self.future, self.call = worker, future, call

    def result(self):
        if self.future is None:
            return self.call()
        try:
            return self.future.result()
        except ZjtxError:
            raise
        except BrokenProcessPool:
            raise BuildError(
                f"the process {self.worker.what_en} stopped without a word (out of memory?)",
                f"{self.worker.what_zh}的进程意外退出（内存不足？）",
            ) from None
        except Exception as error:  # a bug, not bad data: say where, so that it can be reported
            details = "".join(traceback.format_exception(error))
            raise BuildError(
                f"{self.worker.what_en} failed, a bug of build.py; please report it with this:\n{details}",
                f"{self.worker.what_zh}时出错，这是 build.py 的缺陷；请附上以下信息报告：\n{details}",
            ) from None


class Worker:
    """A second process for one kind of work; `shared` is what its jobs get as their first argument."""

    def __init__(self, shared: Any, what_en: str, what_zh: str):
        self.shared, self.what_en, self.what_zh = shared, what_en, what_zh
        self.number = next(_numbers)
        self.executor: ProcessPoolExecutor | None = None

    def __enter__(self) -> Worker:
        if "fork" in multiprocessing.get_all_start_methods():
            _shared[self.number] = self.shared
            self.executor = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
        return self

    def submit(self, function: Callable, *args) -> Job:
        """Run function(shared, *args) in the worker's process (forked at the first job)."""
        if self.executor is None:
            return Job(self, None, lambda: function(self.shared, *args))
        return Job(self, self.executor.submit(_run, self.number, function, args), lambda: None)

    def __exit__(self, *exc) -> bool:
        _shared.pop(self.number, None)
        if self.executor is not None:
            # A job still running when the build stops (it failed elsewhere) is not waited for. Python 3.14 has
            # ProcessPoolExecutor.terminate_workers(); until then, its processes are stopped directly.
            processes = list((self.executor._processes or {}).values())
            self.executor.shutdown(wait=False, cancel_futures=True)
            for process in processes:
                if process.is_alive():
                    process.terminate()
                process.join()
        return False
