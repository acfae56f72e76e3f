#!/usr/bin/env python3
"""The interface checks, one function each, named after its key in
checker/checks/table.py: each takes the stages its parameters name
(checker/checks/stages.py), and returns (passed, detail), passed None for
a check that cannot judge on this stack, and a third item, where there is
one, saying why the checks that need it are not run."""
from checker.checks import errors


def builder_names(task):
    """The task's builder names as the checks and their names say them."""
    return ' or '.join('`{}`'.format(name) for name in task.functions)


def imports(imported):
    """Importing their file raises, exits and waits for nothing."""
    return (False, imported.failure) if imported.failure else (True, '')


def defines(imported, task):
    """The builder exists under the task's name; for sparse either."""
    names = imported.value.callable
    if task.name == 'sparse' and names:
        return True, ('defines {}; the 2020 curriculum\'s graders call '
                      '`sparse`, later ones `autoencoder`'.format(
                          ' and '.join('`{}`'.format(name)
                                       for name in names)))
    if names:
        return True, ''
    defined = imported.value.functions
    return False, 'Your file defines {}; the task asks for {}.'.format(
        ', '.join(defined) if defined else 'no function',
        builder_names(task))


def parameters(builder, task):
    """The task's parameter names bind, so that keyword calls work."""
    if builder.failure:
        return False, builder.failure
    if builder.value is None:
        return False, 'Your {} is not a plain function.'.format(
            builder_names(task))
    signature, name, binds = builder.value
    if binds:
        return True, ''
    wanted = list(task.parameters)
    student_parameters = list(signature.parameters)
    call = '{}({})'.format(name, ', '.join(wanted))
    missing = [parameter for parameter in wanted
               if parameter not in student_parameters]
    if len(student_parameters) == len(wanted) and missing:
        renamed = ['{} is {}'.format(student_parameter, parameter)
                   for student_parameter, parameter
                   in zip(student_parameters, wanted)
                   if student_parameter != parameter]
        return False, ('Your parameter {} in the task: calls by position '
                       'work, calls by keyword ({}=...) fail. Rename it: '
                       'def {}.'.format(' and '.join(renamed), missing[0],
                                        call))
    if missing:
        return False, ('Your {} has no parameter {}: the task\'s main file '
                       'passes it. Take it: def {}.'.format(
                           name, ' or '.join(missing), call))
    return False, 'Your {}{} does not take the task\'s call: def {}.'.format(
        name, signature, call)


def returns(built, builder, described, task):
    """On the task's configuration it returns three Keras models, which
    compute what the student side describes of them: the checks that read
    that description need this one."""
    binds = builder.value and builder.value.binds
    if built.failure and built.error and not binds \
            and errors.is_a(built.error, 'TypeError'):
        return False, ('This follows from the parameters above: your '
                       'builder does not take the task\'s {} arguments.'
                       .format(len(task.parameters)))
    if built.failure:
        return built.verdict()[:2]
    if built.value.models is not None:
        return (False, described, 'your models do not compute what your '
                'file says of them') if described else (True, '')
    returned = built.value.returned
    return False, ('Your builder returns {}; the task returns encoder, '
                   'decoder, auto: three keras.Model.'.format(returned))


def arguments(built):
    """The builder leaves the lists it was given as they were."""
    changes = built.value.changes
    if not changes:
        return True, ''
    name, before, after = changes[0]
    return False, ('Your builder changes the {0} it was given: {1!r} became '
                   '{2!r}. The task\'s main may use them again: loop over '
                   'reversed({0}) instead of reversing {0} itself, or work '
                   'on a copy, list({0}).'.format(name, before, after))


def auto_layers(built):
    """auto.layers is [InputLayer, encoder, decoder], as graders print;
    where it is not, what auto was built from, read off its graph."""
    auto = built.value.models.auto
    layers = auto['layers']
    passed = (len(layers) == 3 and layers[0]['class'] == 'InputLayer'
              and layers[1]['is'] == 'encoder'
              and layers[2]['is'] == 'decoder')
    if passed:
        return True, ''
    shown = 'yours: [{}]'.format(', '.join(
        layer['class'] + (' (the {})'.format(layer['is'])
                          if layer['is'] else '') for layer in layers))
    return False, _auto_cause(auto, layers) + '\n' + shown


AUTO_CALL = 'keras.Model(inputs, decoder(encoder(inputs)))'
SYMBOLIC_LAYERS = ('TFOpLambda', 'AddLoss', 'SlicingOpLambda')


def _auto_cause(auto, layers):
    """The sentence that says what auto was built from instead."""
    holder = [index for index, held in enumerate(auto['holds'])
              if len(held) == 2]
    if holder and holder[0] != 2:
        return ('Your builder returns the model that holds the other two, '
                'auto, in place {} of 3; the task returns encoder, decoder, '
                'auto, in that order.'.format(holder[0] + 1))
    kinds = [layer['is'] for layer in layers]
    for part in ('encoder', 'decoder'):
        if part not in kinds and 'of the ' + part in kinds:
            return ('Your auto does not call your {0} model: it is built on '
                    'the {0}\'s own tensors ({0}.output, or its layers\' '
                    'outputs), so auto.layers lists the {0}\'s layers one by '
                    'one. Build auto on an Input of its own: {1}.'.format(
                        part, AUTO_CALL))
    own = [layer['class'] for layer in layers[1:] if layer['is'] is None]
    if any(name in SYMBOLIC_LAYERS for name in own):
        return ('Extra layers in auto come from computing on its tensors '
                '(add_loss, or arithmetic on the encoder\'s outputs): '
                'graders that print auto.layers see them.')
    if own:
        return ('Your auto holds layer{} of its own beside the encoder and '
                'decoder: {}. The task\'s auto is the two models alone: '
                '{}.'.format('s' if len(own) > 1 else '', ', '.join(own),
                             AUTO_CALL))
    return 'Your auto.layers is not [InputLayer, encoder, decoder].'


def prints(printed):
    """Importing and building printed nothing."""
    lines = printed.strip().splitlines()
    if not lines:
        return True, ''
    return False, ('Your file printed {} line{}, the first {!r}: graders '
                   'compare what is printed; remove the print or '
                   'summary().'.format(len(lines),
                                       '' if len(lines) == 1 else 's',
                                       lines[0][:60]))
