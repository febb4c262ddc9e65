namespace Pacer.Cli;

/// <summary>The process exit codes of <c>pacer</c>.</summary>
internal static class ExitCodes
{
    /// <summary>Every line succeeded.</summary>
    public const int Success = 0;

    /// <summary>Some line failed, or was cancelled by <c>--fail-fast</c>.</summary>
    public const int SomeFailed = 1;

    /// <summary>
    /// The run was refused, with nothing sent (a bad option or config, a missing or unreadable input,
    /// an out file that is in use, holds results or cannot be written, results of another input), or
    /// could not go on (its results could no longer be written, its input no longer read).
    /// </summary>
    public const int Usage = 2;

    /// <summary>Interrupted by SIGINT (Ctrl+C) or SIGTERM: every line read has its result.</summary>
    public const int Interrupted = 130;
}
