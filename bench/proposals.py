"""The bench's citizens' proposals (issue 19): an open call with 10,000 proposals put to
the vote and 1,000,000 votes, by 2,000 people (each proposal has from 50 to 150 votes,
about four in five yes), made once with bulk SQL (INSERT ... SELECT generate_series) and
kept between runs; and a citizen who casts votes during the bench.

The pages measured: the call's page sorted by yes votes, a proposal's page and casting a
vote (a POST that changes the vote each time).
"""

import secrets
import time
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.db import connection, transaction
from django.utils import timezone

from conect.accounts.models import User
from consultations.proposals.models import Proposal, ProposalCall
from registry.models import AdvisoryStructure

PROPOSALS = 10_000
VOTERS = 2_000
CALL_TITLE = "Bench: apel cu 10.000 de propuneri și 1.000.000 de voturi"
VOTER_EMAIL = "votant{n}@bench.conect.demo"
BENCH_VOTER = "votant-bench@bench.conect.demo"
TABLES = ["proposals_proposal", "proposals_vote", "proposals_proposalcall"]


def call_with_votes(log) -> ProposalCall:
    call = ProposalCall.objects.filter(title=CALL_TITLE).first()
    if call is not None:
        return call
    started = time.monotonic()
    structure = AdvisoryStructure.objects.order_by("pk").first()
    now = timezone.now()
    with transaction.atomic():
        call = ProposalCall.objects.create(
            institution_id=structure.institution_id,
            title=CALL_TITLE,
            description="<p>Propuneri pentru reforma administrației.</p>",
            is_national=True,
            is_permanent=True,
            submissions_open_on=timezone.localdate() - timedelta(days=30),
            vote_days=60,
            # Above any proposal's votes: every proposal stays open for votes.
            threshold=100_000,
            structure=structure,
            answer_days=60,
            state=ProposalCall.State.OPEN,
            published_at=now,
        )
        User.objects.bulk_create(
            [
                User(
                    email=VOTER_EMAIL.format(n=n),
                    name=f"Votant Bench {n}",
                    password="!",
                    preferred_language="ro",
                )
                for n in range(VOTERS)
            ],
            batch_size=2000,
            ignore_conflicts=True,
        )
        first_voter, last_voter = (
            User.objects.filter(
                email__in=[VOTER_EMAIL.format(n=0), VOTER_EMAIL.format(n=VOTERS - 1)]
            )
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        assert last_voter - first_voter == VOTERS - 1, "the voters' ids must be contiguous"
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO proposals_proposal (
                    call_id, author_id, title, problem, body, expected_effect, state,
                    moderation_reason, yes_count, no_count, voting_opens_at, voting_closes_at,
                    decision, decision_reasons, decision_minutes, search_text, created_at,
                    updated_at)
                SELECT %(call)s, %(first)s + (g %% %(voters)s),
                    'Propunerea ' || g || ': simplificarea procedurii ' || (g %% 97),
                    'Procedura actuală cere prea multe acte.',
                    'Un singur formular, depus online.',
                    'Mai puțin timp pierdut la ghișeu.',
                    'voting', '', 0, 0, %(now)s - make_interval(days => g %% 30),
                    %(now)s + make_interval(days => 30 - g %% 30), '', '', '',
                    'propunerea ' || g || ': simplificarea procedurii ' || (g %% 97),
                    %(now)s - make_interval(mins => g), %(now)s
                FROM generate_series(0, %(count)s - 1) AS g
                """,
                {"call": call.pk, "first": first_voter, "voters": VOTERS, "now": now,
                 "count": PROPOSALS},
            )  # fmt: skip
            # Proposal i gets 50 to 150 votes from distinct people (1,000,000 in all).
            cursor.execute(
                """
                INSERT INTO proposals_vote (proposal_id, user_id, is_yes, created_at, updated_at)
                SELECT p.id, %(first)s + ((p.rn * 13 + g) %% %(voters)s), (p.id + g) %% 5 <> 0,
                    %(now)s, %(now)s
                FROM (SELECT id, row_number() OVER (ORDER BY id) - 1 AS rn
                      FROM proposals_proposal WHERE call_id = %(call)s) AS p
                CROSS JOIN LATERAL generate_series(
                    0, 49 + (p.rn * 37) %% 101 + CASE WHEN p.rn < 50 THEN 1 ELSE 0 END) AS g
                """,
                {"call": call.pk, "first": first_voter, "voters": VOTERS, "now": now},
            )
            cursor.execute(
                """
                UPDATE proposals_proposal AS p
                SET yes_count = v.yes, no_count = v.no
                FROM (SELECT proposal_id, count(*) FILTER (WHERE is_yes) AS yes,
                             count(*) FILTER (WHERE NOT is_yes) AS no
                      FROM proposals_vote GROUP BY proposal_id) AS v
                WHERE v.proposal_id = p.id AND p.call_id = %(call)s
                """,
                {"call": call.pk},
            )
    votes = Proposal.objects.filter(call=call).values_list("yes_count", "no_count")
    total = sum(yes + no for yes, no in votes)
    log(
        f"call with {PROPOSALS:,} proposals and {total:,} votes in "
        f"{time.monotonic() - started:.1f} s"
    )
    return call


def bench_voter() -> User:
    """A citizen with a confirmed address, who casts the bench's votes."""
    user, _created = User.objects.get_or_create(
        email=BENCH_VOTER, defaults={"name": "Votant Bench", "preferred_language": "ro"}
    )
    EmailAddress.objects.get_or_create(
        user=user, email=BENCH_VOTER, defaults={"verified": True, "primary": True}
    )
    return user


def pages(page, sign_in) -> list[dict]:
    """The proposals' pages to measure, within the bench's page target (50 ms)."""
    call = ProposalCall.objects.get(title=CALL_TITLE)
    # A proposal in the middle of the list, with about 100 votes.
    proposal = Proposal.objects.filter(call=call).order_by("pk")[PROPOSALS // 2]
    csrf = secrets.token_hex(16)  # 32 characters: a CSRF secret as Django's cookie has it
    cookie = f"{sign_in(bench_voter())}; csrftoken={csrf}"
    vote = page(
        "proposals: cast a vote (POST, yes then no)",
        f"/proposals/{proposal.pk}/vote/",
        cookie=cookie,
    )
    vote["posts"] = ["vote=yes", "vote=no"]
    return [
        page("proposals: call, 10,000 by yes votes", call.get_absolute_url(), throughput=True),
        page("proposals: call, 10,000, page 200", f"{call.get_absolute_url()}?page=200"),
        page("proposals: a proposal's page", proposal.get_absolute_url(), throughput=True),
        page("proposals: the same page, signed in", proposal.get_absolute_url(), cookie=cookie),
        vote,
        page("api: proposals, 100 a page", "/api/v1/proposals/?page_size=100"),
    ]
