"""Forms of the timesheet area (the weekly grid is a plain table form, read in services)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import HiddenField, SubmitField
from wtforms.validators import DataRequired, Regexp


class UploadForm(FlaskForm):
    file = FileField(
        _l("Fichier de temps (CSV ou XLSX)"),
        validators=[
            FileRequired(_l("Choisissez un fichier.")),
            FileAllowed(
                ["csv", "xlsx", "txt"], _l("Seuls les fichiers .csv et .xlsx sont acceptés.")
            ),
        ],
    )
    submit = SubmitField(_l("Vérifier le fichier"))


class ConfirmForm(FlaskForm):
    token = HiddenField(validators=[DataRequired(), Regexp(r"^[0-9a-f]{32}$")])
    submit = SubmitField(_l("Confirmer l'import"))
