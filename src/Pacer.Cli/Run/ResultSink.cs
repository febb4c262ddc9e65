namespace Pacer.Cli.Run;

/// <summary>
/// Writes result lines and flushes them before a writer goes idle. In order, a result waits until
/// every earlier line has been written or skipped, and reading stays within <c>window</c> lines of
/// the oldest unwritten one; unordered, results are written as they come and at most
/// <c>window</c> are open at once.
/// </summary>
/// <remarks>
/// One caller at a time writes: whoever finds lines ready and no writer at work writes every ready
/// line, flushes, and looks again, while the others only queue theirs. So a busy run flushes once
/// per burst of results rather than once per line, and every line is flushed as soon as its writer
/// runs dry. Writes are synchronous: a result line is small, and a slow reader of the output slows
/// the run instead of letting results pile up in memory.
/// </remarks>
internal sealed class ResultSink(TextWriter writer, bool ordered, int window)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<long, string?> _pending = [];
    private List<string> _ready = [];
    private List<string> _spare = [];
    private TaskCompletionSource? _room;
    private long _next;
    private long _open;
    private bool _writing;
    private IOException? _failure;

    /// <summary>Why results could not be written (a full disk, a closed pipe); results after it are not written.</summary>
    public IOException? Failure
    {
        get
        {
            lock (_gate)
            {
                return _failure;
            }
        }
    }

    /// <summary>Waits until line <paramref name="index"/> may be started without reading too far ahead.</summary>
    public async ValueTask WaitForRoomAsync(long index, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task room;
            lock (_gate)
            {
                if (ordered ? index < _next + window : _open < window)
                {
                    _open++;
                    return;
                }

                _room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                room = _room.Task;
            }

            await room.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Marks a line that gets no new result here (blank, or done in an earlier run).</summary>
    /// <remarks>In order, call <see cref="WaitForRoomAsync"/> for the line first, as for any other.</remarks>
    public void Skip(long index)
    {
        if (ordered)
        {
            Accept(index, null, opened: true);
        }
    }

    /// <summary>Writes <paramref name="result"/>, now or once the lines before it are written.</summary>
    public void Complete(RunResult result, bool opened) => Accept(result.Index, result.ToJsonLine(), opened);

    private void Accept(long index, string? line, bool opened)
    {
        TaskCompletionSource? room;
        bool write;
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
                        _ready.Add(next);
                    }

                    _next++;
                }
            }
            else if (line is not null)
            {
                _ready.Add(line);
            }

            room = _room;
            _room = null;
            write = !_writing && _failure is null && _ready.Count > 0;
            _writing |= write;
        }

        room?.TrySetResult();
        if (write)
        {
            WriteReady();
        }
    }

    /// <summary>Writes and flushes what is ready until nothing is; the caller holds the writer's turn.</summary>
    private void WriteReady()
    {
        while (true)
        {
            List<string> batch;
            lock (_gate)
            {
                if (_ready.Count == 0)
                {
                    _writing = false;
                    return;
                }

                // Only the writer touches the spare list, so the two can trade places.
                batch = _ready;
                _ready = _spare;
                _spare = batch;
            }

            try
            {
                foreach (string text in batch)
                {
                    writer.WriteLine(text);
                }

                writer.Flush();
            }
            catch (IOException e)
            {
                lock (_gate)
                {
                    _failure = e;
                    _writing = false;
                    _ready.Clear();
                }

                return;
            }
            finally
            {
                batch.Clear();
            }
        }
    }
}
