using System.Diagnostics.Metrics;

namespace Pacer.Tests;

/// <summary>
/// Catches the instruments published after it was made, so that a test can collect from its own
/// engine's meter and not from another "Pacer" meter some other test left alive.
/// </summary>
internal sealed class NewInstruments : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<Instrument> _published = [];
    private bool _started;

    public NewInstruments(string meterName)
    {
        _listener.InstrumentPublished = (instrument, _) =>
        {
            if (_started && instrument.Meter.Name == meterName)
            {
                lock (_published)
                {
                    _published.Add(instrument);
                }
            }
        };

        // Start reports the instruments that exist already, synchronously: those are not ours.
        _listener.Start();
        _started = true;
    }

    public Instrument<T> Get<T>(string name)
        where T : struct => Single<Instrument<T>>(name);

    public ObservableInstrument<T> GetObservable<T>(string name)
        where T : struct => Single<ObservableInstrument<T>>(name);

    public void Dispose() => _listener.Dispose();

    private TInstrument Single<TInstrument>(string name)
    {
        lock (_published)
        {
            return _published.Where(i => i.Name == name).OfType<TInstrument>().Single();
        }
    }
}
