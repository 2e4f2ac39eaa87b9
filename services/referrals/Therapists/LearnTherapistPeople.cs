namespace Dit.Referrals.Therapists;

/// <summary>Keeps the newest set of therapists' people (<see cref="TherapistPeople"/>); an older set arriving late changes nothing.</summary>
public sealed class LearnTherapistPeople(ReferralsDatabase database, IClock clock) : IConsumer<TherapistPeople>
{
    public Task Consume(ConsumeContext<TherapistPeople> context) =>
        database.ConsumeOnceAsync(context, nameof(LearnTherapistPeople), clock, async (connection, transaction) =>
        {
            var asOf = Instant.FromDateTimeOffset(context.Message.OccurredAt).ToUnixTimeMilliseconds();
            var newest = await connection.ExecuteScalarAsync<long?>("select max(as_of) from therapist_people", transaction: transaction);
            if (newest > asOf) return;   // an older set, late; one of the same instant is taken (the clock may stand still in a test)
            await connection.ExecuteAsync("delete from therapist_people", transaction: transaction);
            foreach (var therapist in context.Message.Therapists)
                await connection.ExecuteAsync(
                    "insert into therapist_people (therapist_id, person_id, as_of) values (@id, @person, @asOf)",
                    new { id = therapist.TherapistId.ToString(), person = therapist.PersonId, asOf }, transaction);
        });
}
