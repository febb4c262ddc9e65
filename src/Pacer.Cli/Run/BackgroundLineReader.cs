using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Pacer.Cli.Run;

/// <summary>
/// Reads a reader's lines on a thread of its own and hands them over a few at a time, so that a
/// wait for input can be given up: a read from a pipe or a terminal waits in the kernel and heeds
/// no cancellation token, and a signal must not have to wait for the next line or the end of input.
/// </summary>
/// <remarks>
/// The thread reads at most <see cref="Ahead"/> lines before they are taken, so that memory stays
/// bounded on a long input. A thread left waiting for a line that never comes is a background
/// thread: it does not keep the process alive.
/// </remarks>
internal static class BackgroundLineReader
{
    /// <summary>The most lines read from the input and not yet taken.</summary>
    private const int Ahead = 256;

    public static async IAsyncEnumerable<string> ReadAsync(TextReader reader, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var lines = Channel.CreateBounded<string>(new BoundedChannelOptions(Ahead) { SingleReader = true, SingleWriter = true });

        // Not disposed: the reading thread may still hold its token after this method has returned,
        // and a source without a timer or links holds nothing to release.
        var taken = new CancellationTokenSource();
        var thread = new Thread(() => Pump(reader, lines.Writer, taken.Token)) { IsBackground = true, Name = "pacer input" };
        thread.Start();
        try
        {
            while (await lines.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (lines.Reader.TryRead(out string? line))
                {
                    yield return line;
                }
            }

            // Rethrows the failure that ended the input, if one did.
            await lines.Reader.Completion.ConfigureAwait(false);
        }
        finally
        {
            // Nothing more is taken: a thread waiting for room stops; one waiting for input stops with it.
            await taken.CancelAsync().ConfigureAwait(false);
        }
    }

    private static void Pump(TextReader reader, ChannelWriter<string> lines, CancellationToken taken)
    {
        try
        {
            while (reader.ReadLine() is { } line)
            {
                while (!lines.TryWrite(line))
                {
                    // The thread is this reader's own: blocking it costs no one else a thread.
                    if (!lines.WaitToWriteAsync(taken).AsTask().GetAwaiter().GetResult())
                    {
                        return;
                    }
                }
            }

            lines.TryComplete();
        }
        catch (OperationCanceledException) when (taken.IsCancellationRequested)
        {
            lines.TryComplete();
        }
#pragma warning disable CA1031 // Whatever ended the input is handed to the reader, who reports it.
        catch (Exception e)
#pragma warning restore CA1031
        {
            lines.TryComplete(e);
        }
    }
}
