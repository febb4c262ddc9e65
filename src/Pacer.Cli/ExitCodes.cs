namespace Pacer.Cli;

/// <summary>The process exit codes of <c>pacer</c>.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int SomeFailed = 1;
    public const int Usage = 2;
    public const int Interrupted = 130;
}
