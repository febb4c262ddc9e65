using System.Runtime.InteropServices;

namespace Pacer.Cli;

/// <summary>
/// Turns SIGINT (Ctrl+C) and SIGTERM into a cancellation, so that a command stops in order and
/// exits by itself instead of being terminated. Signals after the first are absorbed: the stop is
/// already under way, and ending the process then would leave the results of the lines read unwritten.
/// </summary>
internal sealed class SignalCancellation : IDisposable
{
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _signalled;
    private readonly PosixSignalRegistration[] _registrations;
    private bool _disposed;

    /// <param name="linked">Also cancels <see cref="Token"/>.</param>
    public SignalCancellation(CancellationToken linked)
    {
        _signalled = CancellationTokenSource.CreateLinkedTokenSource(linked);
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
        ];
    }

    /// <summary>Cancelled by the first signal, or by the linked token.</summary>
    public CancellationToken Token => _signalled.Token;

    public void Dispose()
    {
        foreach (PosixSignalRegistration registration in _registrations)
        {
            registration.Dispose();
        }

        // A handler already running when its registration went away may still call OnSignal: it
        // finds the source disposed and leaves it alone.
        lock (_gate)
        {
            _disposed = true;
            _signalled.Dispose();
        }
    }

    private void OnSignal(PosixSignalContext context)
    {
        // The process is not terminated: the command ends itself, with its results written.
        context.Cancel = true;
        lock (_gate)
        {
            if (!_disposed && !_signalled.IsCancellationRequested)
            {
                // Off the signal thread: cancelling runs the callbacks of everything that waits on the token.
                _ = _signalled.CancelAsync();
            }
        }
    }
}
