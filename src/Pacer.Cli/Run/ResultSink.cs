namespace Pacer.Cli.Run;

/// <summary>
/// Writes result lines, flushing each one. In order, a result waits until every earlier line has
/// been written or skipped, and reading stays within <c>window</c> lines of the oldest unwritten
/// one; unordered, results are written as they come and at most <c>window</c> are open at once.
/// </summary>
internal sealed class ResultSink(TextWriter writer, bool ordered, int window) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly Dictionary<long, string?> _pending = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _next;
    private long _open;

    /// <summary>Waits until line <paramref name="index"/> may be started without reading too far ahead.</summary>
    public async Task WaitForRoomAsync(long index, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (ordered ? index < _next + window : _open < window)
                {
                    _open++;
                    return;
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Marks a line that gets no new result here (blank, or done in an earlier run).</summary>
    /// <remarks>In order, call <see cref="WaitForRoomAsync"/> for the line first, as for any other.</remarks>
    public Task SkipAsync(long index) => ordered ? AcceptAsync(index, null, opened: true) : Task.CompletedTask;

    /// <summary>Writes <paramref name="result"/>, now or once the lines before it are written.</summary>
    public Task CompleteAsync(RunResult result, bool opened) => AcceptAsync(result.Index, result.ToJsonLine(), opened);

    public void Dispose() => _writing.Dispose();

    private async Task AcceptAsync(long index, string? line, bool opened)
    {
        await _writing.WaitAsync().ConfigureAwait(false);
        try
        {
            var ready = new List<string>();
            lock (_gate)
            {
                if (opened)
                {
                    _open--;
                }

                if (ordered)
                {
                    _pending[index] = line;
                    while (_pending.Remove(_next, out string? next))
                    {
                        if (next is not null)
                        {
                            ready.Add(next);
                        }

                        _next++;
                    }
                }
                else if (line is not null)
                {
                    ready.Add(line);
                }

                _changed.TrySetResult();
                _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            foreach (string text in ready)
            {
                await writer.WriteLineAsync(text).ConfigureAwait(false);
            }

            if (ready.Count > 0)
            {
                await writer.FlushAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _writing.Release();
        }
    }
}
