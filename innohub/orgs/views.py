"""Pages for browsing organisations: thin views over the selectors."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from innohub.core.pagination import paginate

from . import selectors
from .forms import OrganisationFilterForm
from .models import Organisation


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    form = OrganisationFilterForm(request.GET)
    organisations: QuerySet[Organisation] = Organisation.objects.none()
    if form.is_valid():
        organisations = selectors.organisation_list(
            kind=form.cleaned_data["kind"] or None,
            area=form.cleaned_data["area"],
            q=form.cleaned_data["q"] or None,
        )
    context = {
        "form": form,
        # An empty unfiltered list means no organisations at all: the page says who adds them.
        "filtered": any(form.data.get(name) for name in form.fields),
        "pager": paginate(request, organisations),
    }
    return render(request, "orgs/organisation_list.html", context)


@login_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.organisation_for_page(pk)
    if organisation is None:
        raise Http404
    context = {
        "organisation": organisation,
        "ancestors": list(organisation.ancestors()),
        "children": paginate(
            request, selectors.organisation_children(organisation), param="units_page"
        ),
    }
    return render(request, "orgs/organisation_detail.html", context)
