using System.Globalization;

namespace Pacer.Cli.Run;

/// <summary>
/// Checks, before <c>--resume</c> sends anything, that the results in the out file belong to this
/// input: each result written with a fingerprint must have an input line at its index with that
/// fingerprint. Results written without one (by an earlier pacer) are taken as they are.
/// </summary>
internal static class ResumeMatch
{
    /// <summary>Why the out file's results are not this input's, naming the first that does not match; null when they all match.</summary>
    /// <exception cref="IOException">The input cannot be read.</exception>
    public static async Task<string?> FindMismatchAsync(ResumeFile results, string outPath, LineSource input, CancellationToken cancellationToken)
    {
        if (!results.Done.Values.Any(r => r.Fingerprint is not null))
        {
            return null;
        }

        // Stdin is read twice: here, then by the run.
        await input.BufferAsync(cancellationToken).ConfigureAwait(false);
        long count = 0;
        long mismatches = 0;
        string? first = null;
        await foreach (string text in input.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            long index = count++;
            if (results.Done.TryGetValue(index, out ResumedResult result) && result.Fingerprint is { } expected && LineFingerprint.Of(text) is var actual && actual != expected)
            {
                mismatches++;
                first ??= Invariant($"its line {result.OutLine} is the result of an input line with fingerprint {LineFingerprint.Format(expected)}, but line {index + 1} of {input.Name} has fingerprint {LineFingerprint.Format(actual)}");
            }
        }

        foreach ((long index, ResumedResult result) in results.Done.Where(r => r.Key >= count && r.Value.Fingerprint is not null).OrderBy(r => r.Key))
        {
            mismatches++;
            first ??= Invariant($"its line {result.OutLine} is the result of line {index + 1}, but {input.Name} has {count} lines");
        }

        return first is null
            ? null
            : Invariant($"'{outPath}' holds results of another input: {first}; {mismatches} result(s) in all do not match their line. Nothing was sent. Resume with the input these results came from, or start over with --overwrite.");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
