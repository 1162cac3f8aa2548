"""File access through Hadoop's FileSystem, so the same calls work for local paths and s3:// (EMRFS in Glue)."""

from __future__ import annotations

import re

from pyspark.sql import SparkSession


class IngestError(Exception):
    """A failure that stops the job; the message names the file or argument at fault."""


def _fs(spark: SparkSession, uri: str):
    path = spark._jvm.org.apache.hadoop.fs.Path(uri)
    fs = path.getFileSystem(spark._jsc.hadoopConfiguration())
    return fs, fs.makeQualified(path)


def list_files(
    spark: SparkSession, uri: str, suffixes: tuple[str, ...] | re.Pattern, recursive: bool = True
) -> list[tuple[str, str]]:
    """(qualified path, path relative to ``uri``) of every file under ``uri`` (or ``uri`` itself) whose name ends
    with one of ``suffixes`` (or, given a pattern, whose name it finds); hidden and ``_``-prefixed files
    (Spark/Hadoop markers) are skipped."""
    fs, root = _fs(spark, uri)
    if not fs.exists(root):
        return []
    root_text = root.toString().rstrip("/")
    found = []
    files = fs.listFiles(root, recursive)
    while files.hasNext():
        path = files.next().getPath()
        name = path.getName()
        wanted = (
            suffixes.search(name) if isinstance(suffixes, re.Pattern) else name.lower().endswith(suffixes)
        )
        if name.startswith((".", "_")) or not wanted:
            continue
        full = path.toString()
        relative = full[len(root_text) :].lstrip("/") or name
        found.append((full, relative))
    return sorted(found)


def read_bytes(spark: SparkSession, uri: str) -> bytes:
    fs, path = _fs(spark, uri)
    if not fs.isFile(path):
        raise IngestError(f"{uri}: no such file")
    stream = fs.open(path)
    try:
        return bytes(spark._jvm.org.apache.commons.io.IOUtils.toByteArray(stream))
    finally:
        stream.close()


def write_bytes(spark: SparkSession, uri: str, data: bytes) -> None:
    fs, path = _fs(spark, uri)
    out = fs.create(path, True)
    try:
        out.write(bytearray(data))
    finally:
        out.close()


def newest(spark: SparkSession, uri: str, prefix: str, suffixes: tuple[str, ...]) -> str:
    """``uri`` itself if it is a file, else the last file (by name, so by version) directly in it (not in
    subfolders such as hpo/older/) whose name starts with ``prefix``."""
    fs, path = _fs(spark, uri)
    if fs.isFile(path):
        return path.toString()
    top = list_files(spark, uri, suffixes, recursive=False)
    matches = [full for full, rel in top if rel.startswith(prefix)]
    if not matches:
        raise IngestError(f"{uri}: no {prefix}*{suffixes[0]} file")
    return matches[-1]


def exists(spark: SparkSession, uri: str) -> bool:
    fs, path = _fs(spark, uri)
    return bool(fs.exists(path))


def directory_of(spark: SparkSession, uri: str) -> str:
    """``uri`` if it is a directory, else the directory holding it."""
    fs, path = _fs(spark, uri)
    return path.toString() if not fs.isFile(path) else path.getParent().toString()
