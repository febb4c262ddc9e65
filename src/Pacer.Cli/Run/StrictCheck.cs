namespace Pacer.Cli.Run;

/// <summary><c>--strict</c>: every input line is read and checked before anything is sent.</summary>
internal static class StrictCheck
{
    /// <summary>Whether every line can be sent; names each bad one on <paramref name="error"/> otherwise.</summary>
    public static async Task<bool> PassesAsync(LineSource source, RequestParser parser, TextWriter error, CancellationToken cancellationToken)
    {
        int bad = 0;
        long index = -1;
        try
        {
            await source.BufferAsync(cancellationToken).ConfigureAwait(false);
            await foreach (string text in source.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                index++;
                if (!string.IsNullOrWhiteSpace(text) && parser.Parse(index, text).Error is { } problem)
                {
                    bad++;
                    await error.WriteLineAsync(problem).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"Cannot read {source.Name}: {e.Message}").ConfigureAwait(false);
            return false;
        }

        if (bad > 0)
        {
            await error.WriteLineAsync($"{bad} bad line(s); nothing was sent (--strict).").ConfigureAwait(false);
        }

        return bad == 0;
    }
}
