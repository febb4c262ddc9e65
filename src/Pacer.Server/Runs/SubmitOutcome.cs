namespace Pacer.Server.Runs;

/// <summary>What became of a submission: its run (new, or the one its idempotency key names), or why none was made.</summary>
internal sealed record SubmitOutcome(RunRecord? Run, bool Existing, IReadOnlyList<string> Refusals)
{
    public static SubmitOutcome Refused(IReadOnlyList<string> refusals) => new(null, false, refusals);
}
