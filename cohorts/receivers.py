"""What an invitation email says about the programme and its next gathering (tenancy cannot
read cohorts: it sends tenancy.emails.invitation_details and this answers)."""

from django.dispatch import receiver

from cohorts.selectors import invitation_cohort
from tenancy.emails import invitation_details


@receiver(invitation_details, dispatch_uid="cohorts.invitation_details")
def programme_and_next_gathering(sender, invitation, **kwargs):
    cohort, gathering = invitation_cohort(invitation)
    if cohort is None:
        return {}
    return {
        "programme_name": cohort.programme.name,
        "programme_summary": cohort.programme.summary,
        "next_gathering": gathering,
    }
