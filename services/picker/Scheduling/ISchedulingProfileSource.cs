namespace Suite.Picker.Scheduling;

/// <summary>The profile in force; it may change between two decisions, never during one.</summary>
public interface ISchedulingProfileSource
{
    SchedulingProfile Current { get; }
}
