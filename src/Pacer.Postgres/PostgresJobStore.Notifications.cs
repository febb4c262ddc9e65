using Npgsql;

namespace Pacer.Postgres;

/// <summary>
/// Waking idle workers: adding jobs, or giving one back, sends a <c>NOTIFY</c>; the store listens
/// for it on one connection of its pool, and every <see cref="WaitForJobsAsync"/> in this process
/// returns when it comes.
/// </summary>
public sealed partial class PostgresJobStore
{
    /// <summary>The channel <c>NOTIFY</c> tells idle workers of added jobs on.</summary>
    private const string AddedChannel = "pacer_jobs_added";

    private readonly Lock _signalLock = new();
    private readonly CancellationTokenSource _closing = new();
    private TaskCompletionSource _added = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _listening;
    private volatile bool _isListening;

    /// <inheritdoc/>
    /// <remarks>
    /// Listens on one connection of the pool (<c>LISTEN</c>) for the <c>NOTIFY</c> that adding jobs
    /// sends, and reconnects by itself when the connection is lost; every wait in this process
    /// returns when a notification comes. A notification that comes between waits is kept for the next.
    /// </remarks>
    public async ValueTask WaitForJobsAsync(TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        Task added;
        lock (_signalLock)
        {
            _listening ??= Task.Run(() => ListenAsync(_closing.Token), CancellationToken.None);
            if (_added.Task.IsCompleted)
            {
                _added = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                return;
            }

            added = _added.Task;
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task timedOut = Task.Delay(timeout, timeProvider, wait.Token);
        await Task.WhenAny(added, timedOut).ConfigureAwait(false);
        await wait.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_signalLock)
        {
            if (ReferenceEquals(_added.Task, added) && added.IsCompleted)
            {
                _added = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    /// <summary>Listens for added jobs until the store is disposed, reconnecting after 50 ms, doubling up to 2 s, when the connection is lost.</summary>
    private async Task ListenAsync(CancellationToken closing)
    {
        TimeSpan backoff = TimeSpan.Zero;
        while (!closing.IsCancellationRequested)
        {
            try
            {
                NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(closing).ConfigureAwait(false);
                await using (connection.ConfigureAwait(false))
                {
                    connection.Notification += (_, _) => SignalAdded();
                    using (var listen = new NpgsqlCommand($"LISTEN {AddedChannel};", connection))
                    {
                        await listen.ExecuteNonQueryAsync(closing).ConfigureAwait(false);
                    }

                    // Jobs may have been added while no one listened.
                    SignalAdded();
                    _isListening = true;
                    backoff = TimeSpan.Zero;
                    while (true)
                    {
                        await connection.WaitAsync(closing).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (closing.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
            {
                // Lost (a restart, a network fault): waits fall back to their timeout until listening again.
                _isListening = false;
                backoff = backoff == TimeSpan.Zero ? TimeSpan.FromMilliseconds(50) : TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.TicksPerSecond * 2));
                try
                {
                    await Task.Delay(backoff, _time, closing).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Tells the listeners of every process that jobs may be claimed: at commit, when <paramref name="transaction"/> is given.</summary>
    private static async Task NotifyAddedAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        using var notify = new NpgsqlCommand($"SELECT pg_notify('{AddedChannel}', '');", connection, transaction);
        await notify.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the listener, if one runs, and waits for it to end.</summary>
    private async ValueTask StopListeningAsync()
    {
        await _closing.CancelAsync().ConfigureAwait(false);
        if (_listening is not null)
        {
            await _listening.ConfigureAwait(false);
        }

        _closing.Dispose();
    }

    /// <summary>Whether the store listens for added jobs now (for tests).</summary>
    internal bool IsListening => _isListening;

    private void SignalAdded()
    {
        lock (_signalLock)
        {
            _added.TrySetResult();
        }
    }
}
