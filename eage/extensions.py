"""Flask extensions, unbound: each is bound to the app in create_app() with init_app()."""

from __future__ import annotations

from flask_babel import Babel
from flask_bootstrap import Bootstrap5
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from eage.models.base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
bootstrap = Bootstrap5()
# Storage from RATELIMIT_STORAGE_URI; no limit by default (eage/auth/throttle.py counts sign-in
# failures in it).
limiter = Limiter(key_func=get_remote_address)
