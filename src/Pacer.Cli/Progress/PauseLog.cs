using System.Collections.Concurrent;
using System.Globalization;
using Pacer.Shared;

namespace Pacer.Cli.Progress;

/// <summary>
/// The pauses a service's answers put on each lane (<see cref="LaneChange.Paused"/>): what the views
/// announce as they begin and end, and what the summary adds up — how many, how long in all (a pause
/// that overlaps the one before extends it), and the longest asked for, with whether it was cut to the
/// lane's bound.
/// </summary>
internal sealed class PauseLog
{
    private readonly ConcurrentDictionary<string, LanePauses> _lanes = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _notices = new();

    /// <summary>Keeps the pauses of <paramref name="engine"/>'s lanes from now on.</summary>
    public void Watch(PacerEngine engine) => engine.LaneChanged += (_, e) =>
    {
        if (e.Change == LaneChange.Paused && e.Pause is { } pause)
        {
            Record(e.Lane, pause);
        }
        else if (e.Change == LaneChange.SharedStateLost)
        {
            _notices.Enqueue($"lane {e.Lane}: {e.SharedStateProblem ?? "the shared lane state is unreachable"}");
        }
        else if (e.Change == LaneChange.SharedStateRestored)
        {
            _notices.Enqueue($"lane {e.Lane}: the shared lane state answers again; the lane goes on");
        }
    };

    /// <summary>Records a pause of <paramref name="lane"/>.</summary>
    public void Record(string lane, LanePause pause)
    {
        LanePauses pauses = _lanes.GetOrAdd(lane, _ => new LanePauses());
        bool began;
        lock (pauses)
        {
            began = pauses.Add(pause);
        }

        _notices.Enqueue(began
            ? Invariant($"lane {lane} paused {Shown(pause.Duration)}: {pause.Description}")
            : Invariant($"lane {lane} pause extended to {Shown(pause.Duration)} from now: {pause.Description}"));
    }

    /// <summary>
    /// What happened since the last call, oldest first: pauses that began or grew, and pauses that
    /// ended by <paramref name="now"/>.
    /// </summary>
    public IReadOnlyList<string> TakeNotices(DateTimeOffset now)
    {
        var notices = new List<string>();
        while (_notices.TryDequeue(out string? notice))
        {
            notices.Add(notice);
        }

        foreach ((string lane, LanePauses pauses) in _lanes)
        {
            lock (pauses)
            {
                if (pauses.TakeEnded(now) is { } paused)
                {
                    notices.Add(Invariant($"lane {lane} resumed after {Shown(paused)}"));
                }
            }
        }

        return notices;
    }

    /// <summary>What <paramref name="lane"/>'s pauses came to by <paramref name="now"/>, or null when it never paused.</summary>
    public PauseTotals? Totals(string lane, DateTimeOffset now)
    {
        if (!_lanes.TryGetValue(lane, out LanePauses? pauses))
        {
            return null;
        }

        lock (pauses)
        {
            return pauses.Totals(now);
        }
    }

    /// <summary>A pause's length as the views write it, as the flags do (<c>42s</c>, <c>1h</c>), to a tenth of a second under ten seconds and to the second above.</summary>
    public static string Shown(TimeSpan duration) => DurationSyntax.Format(duration < TimeSpan.FromSeconds(10)
        ? TimeSpan.FromMilliseconds(Math.Round(duration.TotalMilliseconds / 100) * 100)
        : TimeSpan.FromSeconds(Math.Round(duration.TotalSeconds)));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>One lane's pauses; every member is called under the instance's lock.</summary>
    private sealed class LanePauses
    {
        private TimeSpan _closed;
        private DateTimeOffset _start;
        private DateTimeOffset _until;
        private bool _open;
        private bool _announced;
        private int _count;
        private int _capped;
        private LanePause? _longest;

        /// <summary>Adds a pause; true when it begins one rather than extending the pause under way.</summary>
        public bool Add(LanePause pause)
        {
            DateTimeOffset start = pause.Until - pause.Duration;
            _count++;
            _capped += pause.Capped ? 1 : 0;
            if (_longest is null || pause.Requested > _longest.Requested)
            {
                _longest = pause;
            }

            if (_open && start <= _until)
            {
                _until = pause.Until > _until ? pause.Until : _until;
                return false;
            }

            if (_open)
            {
                _closed += _until - _start;
            }

            (_start, _until, _open, _announced) = (start, pause.Until, true, false);
            return true;
        }

        /// <summary>The length of a pause that ended by <paramref name="now"/> and was not yet announced as ended.</summary>
        public TimeSpan? TakeEnded(DateTimeOffset now)
        {
            if (!_open || _announced || now < _until)
            {
                return null;
            }

            _announced = true;
            return _until - _start;
        }

        public PauseTotals Totals(DateTimeOffset now)
        {
            TimeSpan current = _open ? (now < _until ? now : _until) - _start : TimeSpan.Zero;
            return new PauseTotals(_count, _closed + (current > TimeSpan.Zero ? current : TimeSpan.Zero), _capped, _longest!);
        }
    }
}

/// <summary>What one lane's pauses came to.</summary>
/// <param name="Count">Pauses the service asked for.</param>
/// <param name="Paused">Time the lane spent paused (overlapping pauses counted once).</param>
/// <param name="Capped">Pauses cut to the lane's bound (<c>--max-pause</c>, <c>maxPause</c>).</param>
/// <param name="Longest">The longest pause asked for.</param>
internal sealed record PauseTotals(int Count, TimeSpan Paused, int Capped, LanePause Longest);
