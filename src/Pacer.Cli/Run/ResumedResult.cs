namespace Pacer.Cli.Run;

/// <summary>A result kept from an earlier run: its line in the out file (from 1), and its input line's fingerprint if it was written with one.</summary>
internal readonly record struct ResumedResult(long OutLine, ulong? Fingerprint);
