namespace Pacer.Tests;

/// <summary>
/// A job body that the test ends by hand. Each attempt gets its own task; ending it runs the
/// engine's end of the attempt synchronously on the calling thread, so the test knows exactly
/// what happened by the time the call returns.
/// </summary>
internal sealed class ManualWork<T>
{
    private readonly Lock _lock = new();
    private readonly bool _honourToken;
    private TaskCompletionSource<T>? _attempt;
    private JobContext _context;
    private int _starts;

    /// <param name="honourToken">Whether an attempt ends (cancelled) when its token is cancelled; otherwise the work ignores it.</param>
    public ManualWork(bool honourToken = false)
    {
        _honourToken = honourToken;
        Work = Begin;
    }

    public Func<JobContext, ValueTask<T>> Work { get; }

    /// <summary>Attempts begun so far.</summary>
    public int Starts
    {
        get
        {
            lock (_lock)
            {
                return _starts;
            }
        }
    }

    /// <summary>Whether an attempt has begun and has not ended yet.</summary>
    public bool IsRunning
    {
        get
        {
            lock (_lock)
            {
                return _attempt is { Task.IsCompleted: false };
            }
        }
    }

    /// <summary>The token of the latest attempt.</summary>
    public CancellationToken Token
    {
        get
        {
            lock (_lock)
            {
                return _context.CancellationToken;
            }
        }
    }

    public JobContext Context
    {
        get
        {
            lock (_lock)
            {
                return _context;
            }
        }
    }

    public void Complete(T value) => Current().SetResult(value);

    public void Fail(Exception error) => Current().SetException(error);

    private TaskCompletionSource<T> Current()
    {
        lock (_lock)
        {
            return _attempt ?? throw new InvalidOperationException("No attempt has begun.");
        }
    }

    private ValueTask<T> Begin(JobContext context)
    {
        // Default options: continuations run synchronously, inside Complete and Fail.
        var attempt = new TaskCompletionSource<T>();
        lock (_lock)
        {
            _starts++;
            _context = context;
            _attempt = attempt;
        }

        if (_honourToken)
        {
            CancellationToken token = context.CancellationToken;
            token.UnsafeRegister(static (state, token) => ((TaskCompletionSource<T>)state!).TrySetCanceled(token), attempt);
        }

        return new ValueTask<T>(attempt.Task);
    }
}
